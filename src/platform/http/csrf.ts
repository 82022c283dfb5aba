import csrfProtection from '@fastify/csrf-protection';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbiddenForm } from './errors.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery defence on every state-changing request, forms
 * and JSON alike: the browser must say the request came from this site
 * (Sec-Fetch-Site / Origin), and it must carry a token bound to the session
 * (form field `_csrf`, or header `csrf-token` for the JSON API).
 */
export const csrf = fp<{ secret: string }>(async (app, { secret }) => {
  await app.register(csrfProtection, {
    cookieKey: '__Host-marac-csrf',
    cookieOpts: { path: '/', httpOnly: true, secure: true, sameSite: 'strict', signed: true },
    getUserInfo: (request: FastifyRequest) => request.session?.id ?? 'anonymous',
    csrfOpts: { hmacKey: secret, userInfo: true },
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE.has(request.method)) return done();
    if (!sameSite(request)) return done(forbiddenForm());
    app.csrfProtection(request, reply, (error?: Error) => done(error ? forbiddenForm() : undefined));
  });

  // Every page gets a token for its forms.
  app.addHook('preHandler', async (request, reply) => {
    reply.locals = { ...reply.locals, csrfToken: reply.generateCsrf({ userInfo: request.session?.id ?? 'anonymous' }) };
  });
});

/**
 * Fetch metadata decides when the browser sends it. Only without it is Origin
 * consulted: our Referrer-Policy (no-referrer) makes browsers send
 * `Origin: null` on same-site form posts, so null cannot mean cross-site there.
 */
function sameSite(request: FastifyRequest) {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
