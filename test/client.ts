/**
 * A cookie-keeping client over app.inject(), for tests that act as a user:
 * it follows the service's own rules (session cookie, CSRF token read from
 * the page's form, same-origin headers) rather than going round them.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../src/platform/db/schema.ts';
import { createSession, SESSION_COOKIE } from '../src/platform/session/sessions.ts';

export class TestClient {
  readonly app: FastifyInstance;
  readonly cookies = new Map<string, string>();
  /** The CSRF token from the last page that had a form. */
  csrf = '';
  /** The client's address, for per-IP rate limits. */
  ip = '127.0.0.1';

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.ip,
        headers: { cookie: this.cookieHeader(), ...headers },
      }),
    );
  }

  /** GETs a page and follows the service's own redirects (up to three), as a browser would. */
  async follow(url: string) {
    let res = await this.get(url);
    for (let hops = 0; hops < 3 && [301, 302, 303].includes(res.statusCode); hops++) {
      const next = String(res.headers.location);
      if (!next.startsWith('/')) break;
      res = await this.get(next);
    }
    return res;
  }

  /** Posts a form as a browser on this site would, with the current CSRF token unless the fields give one. */
  async post(url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        // A header given as '' is left out, to act as a client that does not send it.
        headers: Object.fromEntries(
          Object.entries({
            cookie: this.cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': 'same-origin',
            ...headers,
          }).filter(([, value]) => value !== ''),
        ),
        payload: new URLSearchParams({ _csrf: this.csrf, ...fields }).toString(),
      }),
    );
  }

  /** Signs in by creating a full session directly: for tests about what a signed-in user may do. */
  async signInAs(db: Kysely<Schema>, userId: string, now = new Date()) {
    const { token } = await createSession(db, userId, now, true);
    this.cookies.set(SESSION_COOKIE, token);
    await this.get('/home');
    return this;
  }
}

/** The response body with per-response values (nonces, CSRF tokens, request ids) blanked, for comparing pages. */
export function stable(body: string) {
  return body
    .replace(/nonce="[^"]+"/g, 'nonce=""')
    .replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""')
    .replace(/data-csrf-token="[^"]+"/g, 'data-csrf-token=""')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');
}
