import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ASSET_PATH } from '../src/platform/http/static-assets.ts';
import { createTestApp } from './harness.ts';

const { app } = await createTestApp({
  setup(app) {
    // A route that fails, to check headers on the 500 page too.
    app.get('/test-only/fails', { config: { permission: 'public', audit: null } }, async () => {
      throw new Error('boom');
    });
  },
});

const routes: { url: string; status: number; method?: 'GET' | 'POST' }[] = [
  { url: '/', status: 200 },
  { url: '/health', status: 200 },
  { url: '/no-such-page', status: 404 },
  { url: '/test-only/fails', status: 500 },
  { url: '/', status: 404, method: 'POST' },
  { url: `${ASSET_PATH}/govuk-frontend.min.css`, status: 200 },
  { url: `${ASSET_PATH}/js/govuk-frontend.min.js`, status: 200 },
  { url: `${ASSET_PATH}/app/app.mjs`, status: 200 },
  { url: `${ASSET_PATH}/images/favicon.ico`, status: 200 },
  { url: `${ASSET_PATH}/manifest.json`, status: 200 },
  { url: `${ASSET_PATH}/fonts/nope.woff2`, status: 404 },
];

describe('security headers', () => {
  for (const route of routes) {
    test(`${route.method ?? 'GET'} ${route.url} → ${route.status} carries the baseline headers`, async () => {
      const res = await app.inject({ method: route.method ?? 'GET', url: route.url });
      assert.equal(res.statusCode, route.status);
      const h = res.headers;
      const csp = String(h['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(String(h['strict-transport-security']), /max-age=\d{8}; includeSubDomains/);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['x-frame-options'], 'DENY');
      assert.equal(h['referrer-policy'], 'no-referrer');
      assert.equal(h['cross-origin-opener-policy'], 'same-origin');
      assert.equal(h['cross-origin-resource-policy'], 'same-origin');
      assert.match(String(h['permissions-policy']), /camera=\(\), .*geolocation=\(\), .*microphone=\(\)/);
      assert.equal(h['x-powered-by'], undefined);
      assert.match(String(h['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  }

  test('dynamic pages are never cached; versioned assets are cached for a year', async () => {
    for (const url of ['/', '/health', '/no-such-page', '/test-only/fails']) {
      const res = await app.inject(url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    for (const url of [
      `${ASSET_PATH}/govuk-frontend.min.css`,
      `${ASSET_PATH}/app/app.mjs`,
      `${ASSET_PATH}/images/favicon.ico`,
    ]) {
      const res = await app.inject(url);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', url);
    }
  });

  test('the page script nonce is fresh for every response and matches the CSP', async () => {
    const nonces = [];
    for (let i = 0; i < 2; i++) {
      const res = await app.inject('/');
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
      assert.ok(nonce);
      assert.ok(res.body.includes(`<script nonce="${nonce}">`), 'the inline js-enabled snippet carries the nonce');
      nonces.push(nonce);
    }
    assert.notEqual(nonces[0], nonces[1]);
  });

  test('the stylesheet points fonts and images at the versioned asset path', async () => {
    const res = await app.inject(`${ASSET_PATH}/govuk-frontend.min.css`);
    assert.match(String(res.headers['content-type']), /^text\/css/);
    assert.ok(res.body.includes(`url(${ASSET_PATH}/fonts/`));
    assert.ok(!res.body.includes('url(/assets/fonts/'));
  });

  test('static files cannot be used to read outside the asset folders', async () => {
    for (const url of [
      `${ASSET_PATH}/../../package.json`,
      `${ASSET_PATH}/%2e%2e/%2e%2e/package.json`,
      `${ASSET_PATH}/js/template.njk`,
      `${ASSET_PATH}/js/../../../../package.json`,
    ]) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /"dependencies"/);
    }
  });

  test('a well-formed request id from a proxy is kept; anything else is replaced', async () => {
    const kept = await app.inject({ url: '/health', headers: { 'x-request-id': 'lb-1234abcd' } });
    assert.equal(kept.headers['x-request-id'], 'lb-1234abcd');
    const replaced = await app.inject({ url: '/health', headers: { 'x-request-id': 'bad id <script>' } });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});
