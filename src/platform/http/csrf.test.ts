import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeSignInUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';

const { app, database } = await createTestApp();
const { db } = database;

async function signedInClient() {
  const user = await makeSignInUser(db);
  const c = await new TestClient(app).signInAs(db, user.userId);
  await c.get('/account');
  return c;
}

describe('cross-site request forgery', () => {
  test('a same-origin form post with Origin: null (our no-referrer policy) is accepted', async () => {
    const c = await signedInClient();
    const res = await c.post('/account/sign-out-everywhere', {}, { origin: 'null' });
    assert.equal(res.statusCode, 303);
  });

  test('a form post with the page’s token and a same-site browser succeeds', async () => {
    const c = await signedInClient();
    const res = await c.post('/account/sign-out-everywhere');
    assert.equal(res.statusCode, 303);
  });

  test('a missing token is refused with 403', async () => {
    const c = await signedInClient();
    const res = await c.post('/account/sign-out-everywhere', { _csrf: '' });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /The form could not be accepted/);
    assert.equal((await c.get('/home')).statusCode, 200, 'nothing happened');
  });

  test('another session’s token is refused', async () => {
    const mine = await signedInClient();
    const theirs = await signedInClient();
    const res = await mine.post('/account/sign-out-everywhere', { _csrf: theirs.csrf });
    assert.equal(res.statusCode, 403);
  });

  test('a cross-site request is refused even with a valid token', async () => {
    const c = await signedInClient();
    // A browser without Fetch Metadata: the Origin header decides.
    const viaOrigin = await c.post(
      '/account/sign-out-everywhere',
      {},
      { origin: 'https://evil.example', 'sec-fetch-site': '' },
    );
    assert.equal(viaOrigin.statusCode, 403);
    const nullOrigin = await c.post('/account/sign-out-everywhere', {}, { origin: 'null', 'sec-fetch-site': '' });
    assert.equal(nullOrigin.statusCode, 403);
    const viaFetchMetadata = await c.post('/account/sign-out-everywhere', {}, { 'sec-fetch-site': 'cross-site' });
    assert.equal(viaFetchMetadata.statusCode, 403);
    assert.equal((await c.get('/home')).statusCode, 200);
  });

  test('JSON requests need the token in a header', async () => {
    const c = await signedInClient();
    const without = await c.post('/session/keep-alive', { _csrf: '' });
    assert.equal(without.statusCode, 403);
    const withHeader = await c.post('/session/keep-alive', { _csrf: '' }, { 'csrf-token': c.csrf });
    assert.equal(withHeader.statusCode, 204);
  });

  test('the sign-in form is protected too, before anyone is signed in', async () => {
    const c = new TestClient(app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'a@b.example', password: 'x', _csrf: 'forged' });
    assert.equal(res.statusCode, 403);
  });
});
