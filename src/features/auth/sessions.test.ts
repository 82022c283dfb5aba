import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeArea, makeSignInUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { totpCode } from '../../platform/identity/totp.ts';

let now = new Date('2026-11-23T08:00:00Z');
const minutes = (n: number) => (now = new Date(now.getTime() + n * 60_000));
const { app, database } = await createTestApp({ clock: () => now });
const { db } = database;

/** Signs in through the real pages, as a browser would. */
async function signIn(user: Awaited<ReturnType<typeof makeSignInUser>>) {
  const c = new TestClient(app);
  await c.get('/sign-in');
  await c.post('/sign-in', { email: user.email, password: user.password });
  await c.get('/sign-in/code');
  const res = await c.post('/sign-in/code', { code: totpCode(user.totpKey, now.getTime()) });
  assert.equal(res.headers.location, '/home');
  await c.get('/home');
  return c;
}

const signedIn = async (c: TestClient) => (await c.get('/home')).statusCode === 200;

describe('sessions', () => {
  test('the session cookie is __Host-, HttpOnly, Secure and SameSite=Lax; only its hash is stored', async () => {
    const user = await makeSignInUser(db);
    const c = new TestClient(app);
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: user.email, password: user.password });
    const cookie = String(res.headers['set-cookie'])
      .split(/,(?=\s*__Host)/)
      .find((v) => v.includes('__Host-marac-session'))!;
    assert.match(cookie, /Path=\//);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Domain=/);
    const token = c.cookies.get('__Host-marac-session')!;
    const stored = await db
      .selectFrom('user_session')
      .select('token_hash')
      .where('user_id', '=', user.userId)
      .execute();
    assert.ok(stored.length > 0);
    for (const row of stored) assert.notEqual(row.token_hash, token);
  });

  test('15 minutes without activity signs the user out, audited; activity keeps the session alive', async () => {
    const user = await makeSignInUser(db);
    const c = await signIn(user);
    minutes(14);
    assert.ok(await signedIn(c), 'still signed in after 14 minutes');
    minutes(14);
    assert.ok(await signedIn(c), 'the last request restarted the idle clock');
    const keepAlive = await c.post('/session/keep-alive', {}, { 'csrf-token': c.csrf });
    assert.equal(keepAlive.statusCode, 204);
    minutes(15);
    const res = await c.get('/home');
    assert.equal(res.headers.location, '/sign-in');
    const page = await c.get('/sign-in?ended=idle');
    assert.match(page.body, /signed out because you had not done anything for a while/);
    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_user_id', '=', user.userId)
      .where('action', '=', 'auth.session_timed_out')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('a session ends after 10 hours however active', async () => {
    const user = await makeSignInUser(db);
    const c = await signIn(user);
    for (let i = 0; i < 59; i++) {
      minutes(10);
      assert.ok(await signedIn(c), `active at ${(i + 1) * 10} minutes`);
    }
    minutes(10);
    assert.equal(await signedIn(c), false, 'ended at 10 hours');
  });

  test('after signing out the old cookie is worthless', async () => {
    const user = await makeSignInUser(db);
    const c = await signIn(user);
    const token = c.cookies.get('__Host-marac-session')!;
    const out = await c.post('/sign-out');
    assert.equal(out.headers.location, '/signed-out');
    const replay = new TestClient(app);
    replay.cookies.set('__Host-marac-session', token);
    assert.equal(await signedIn(replay), false);
  });

  test('sign out everywhere ends every session of the user', async () => {
    const user = await makeSignInUser(db);
    const laptop = await signIn(user);
    minutes(1); // a new authenticator code: each is accepted once
    const phone = await signIn(user);
    await laptop.get('/account');
    const res = await laptop.post('/account/sign-out-everywhere');
    assert.equal(res.headers.location, '/signed-out');
    assert.equal(await signedIn(phone), false);
    assert.equal(await signedIn(laptop), false);
  });

  test('disabling a user, or removing a role, takes effect on their next request', async () => {
    const area = await makeArea(db);
    const user = await makeSignInUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
    const c = await signIn(user);
    assert.ok((await c.get('/home')).body.includes(area.name));
    await db.deleteFrom('membership').where('user_id', '=', user.userId).execute();
    assert.ok(!(await c.get('/home')).body.includes(area.name), 'the removed role is gone at once');
    await db.updateTable('app_user').set({ status: 'disabled' }).where('id', '=', user.userId).execute();
    assert.equal(await signedIn(c), false, 'a disabled user is signed out at once');
  });

  test('signed-in pages warn before the idle timeout and offer to stay signed in', async () => {
    const c = await signIn(await makeSignInUser(db));
    const home = await c.get('/home');
    assert.match(home.body, /<dialog class="marac-timeout-dialog" id="session-timeout"/);
    assert.match(home.body, /data-timeout-seconds="900"/);
    assert.match(home.body, /Stay signed in/);
  });
});
