import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../../../test/harness.ts';
import { AppError } from './errors.ts';

const SECRET_DETAIL = 'victim lives at 12 Hidden Lane';

const { app, logs } = await createTestApp({
  setup(app) {
    app.get('/test-only/fails', { config: { permission: 'public', audit: null } }, async () => {
      // Shaped like a PostgreSQL error: the values are in `detail`.
      throw Object.assign(new Error('duplicate key value violates unique constraint'), {
        code: '23505',
        detail: `Key (address)=(${SECRET_DETAIL}) already exists.`,
      });
    });
    app.get('/test-only/gone', { config: { permission: 'public', audit: null } }, async () => {
      throw new AppError(404, 'not_found', 'Page not found');
    });
    app.post('/test-only/form', { config: { permission: 'public', audit: null } }, async () => ({ ok: true }));
  },
});

describe('error pages', () => {
  test('an unknown address gets the GOV.UK "Page not found" page', async () => {
    const res = await app.inject('/no-such-page/0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/);
    assert.match(res.body, /<title>Page not found – Open MARAC – OFFICIAL-SENSITIVE<\/title>/);
  });

  test('a record a feature hides answers exactly like one that does not exist', async () => {
    const hidden = await app.inject('/test-only/gone');
    const missing = await app.inject('/nothing-here');
    assert.equal(hidden.statusCode, 404);
    const strip = (body: string) => body.replace(/nonce="[^"]+"/g, '');
    assert.equal(strip(hidden.body), strip(missing.body));
  });

  test('an unexpected failure shows the GOV.UK problem page with a reference, never the detail', async () => {
    const res = await app.inject('/test-only/fails');
    assert.equal(res.statusCode, 500);
    assert.match(res.body, /Sorry, there is a problem with the service/);
    const reference = String(res.headers['x-request-id']);
    assert.ok(res.body.includes(reference), 'the page shows the request id as a reference');
    assert.ok(!res.body.includes(SECRET_DETAIL));
    assert.ok(!res.body.includes('at '.concat('file://')), 'no stack trace');
    const logged = logs.lines.find((l) => l.reqId === reference && l.msg === 'unhandled error');
    assert.ok(logged, 'the error goes to the log, under the same request id');
    assert.deepEqual(
      { type: (logged.err as { type: string }).type, code: (logged.err as { code: string }).code },
      { type: 'Error', code: '23505' },
    );
    assert.ok(!logs.text().includes(SECRET_DETAIL), 'but not the values in its detail');
  });

  test('JSON clients get a machine-readable error with a code and a message', async () => {
    const res = await app.inject({ url: '/api/nothing', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      error: { code: 'not_found', message: 'Page not found', requestId: res.headers['x-request-id'] },
    });
    const failed = await app.inject({ url: '/test-only/fails', headers: { accept: 'application/json' } });
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json<{ error: { code: string } }>().error.code, 'internal_error');
    assert.ok(!failed.body.includes(SECRET_DETAIL));
  });

  test('malformed bodies get a 400, not a 500', async () => {
    const json = await app.inject({
      method: 'POST',
      url: '/test-only/form',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: '{"unterminated',
    });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json<{ error: { code: string } }>().error.code, 'bad_request');
    const unsupported = await app.inject({
      method: 'POST',
      url: '/test-only/form',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    assert.equal(unsupported.statusCode, 415);
    assert.match(unsupported.body, /Sorry, that request could not be completed/);
    assert.match(unsupported.body, /The request could not be understood/);
  });
});

describe('logging', () => {
  test('every request line carries the request id, and no query string, headers or cookies', async () => {
    await app.inject({
      url: '/?surname=Smith&dob=1985-04-03',
      headers: { cookie: 'session=secret-cookie', authorization: 'Bearer secret-token', 'user-agent': 'probe' },
    });
    const text = logs.text();
    for (const leak of ['Smith', '1985-04-03', 'secret-cookie', 'secret-token', 'probe', '127.0.0.1']) {
      assert.ok(!text.includes(leak), `logs must not contain ${leak}`);
    }
    const requestLines = logs.lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    assert.ok(requestLines.length > 0);
    for (const line of requestLines) assert.equal(typeof line.reqId, 'string');
    assert.ok(requestLines.some((l) => (l.req as { path?: string } | undefined)?.path === '/'));
  });
});
