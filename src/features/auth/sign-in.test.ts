import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient, stable } from '../../../test/client.ts';
import { makeArea, makeSignInUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { totpCode } from '../../platform/identity/totp.ts';

let now = new Date('2026-11-23T09:00:00Z');
const { app, database } = await createTestApp({ clock: () => now });
const { db } = database;
const area = await makeArea(db);

let ip = 1;
function client() {
  const c = new TestClient(app);
  c.ip = `10.0.0.${ip++}`; // each test its own address, so rate limits do not mix
  return c;
}

async function actions(userId: string) {
  const rows = await db
    .selectFrom('audit_event')
    .select(['action', 'outcome'])
    .where((eb) => eb.or([eb('actor_user_id', '=', userId), eb('subject_id', '=', userId)]))
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

async function passwordStep(c: TestClient, email: string, password: string) {
  await c.get('/sign-in');
  return c.post('/sign-in', { email, password });
}

describe('signing in', () => {
  test('email and password, then the authenticator code, reach the home page', async () => {
    const user = await makeSignInUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
    const c = client();
    const first = await passwordStep(c, user.email.toUpperCase(), user.password);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/sign-in/code');
    const pending = (await c.get('/home')).headers.location;
    assert.equal(pending, '/sign-in', 'the password alone reaches nothing');
    await c.get('/sign-in/code');
    const second = await c.post('/sign-in/code', { code: totpCode(user.totpKey, now.getTime()) });
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, '/home');
    const home = await c.get('/home');
    assert.equal(home.statusCode, 200);
    assert.ok(home.body.includes(area.name));
    assert.deepEqual(await actions(user.userId), ['auth.mfa_verified:success', 'auth.sign_in:success']);
  });

  test('each step gets a new session id (no fixation), and a code cannot be used twice', async () => {
    const user = await makeSignInUser(db);
    const c = client();
    await passwordStep(c, user.email, user.password);
    const pendingToken = c.cookies.get('__Host-marac-session');
    await c.get('/sign-in/code');
    const code = totpCode(user.totpKey, now.getTime());
    await c.post('/sign-in/code', { code });
    const fullToken = c.cookies.get('__Host-marac-session');
    assert.ok(pendingToken && fullToken && pendingToken !== fullToken);

    const planted = new TestClient(app);
    planted.cookies.set('__Host-marac-session', pendingToken);
    assert.equal((await planted.get('/home')).headers.location, '/sign-in', 'the old token is dead');

    const again = client();
    await passwordStep(again, user.email, user.password);
    await again.get('/sign-in/code');
    const replay = await again.post('/sign-in/code', { code });
    assert.equal(replay.statusCode, 400, 'the same code is refused a second time');
    assert.match(replay.body, /Enter a correct security code/);
  });

  test('a recovery code signs in once', async () => {
    const user = await makeSignInUser(db);
    // Enrol afresh to get recovery codes the real way.
    await db
      .updateTable('app_user')
      .set({ mfa_enrolled_at: null, totp_secret: null })
      .where('id', '=', user.userId)
      .execute();
    const c = client();
    await passwordStep(c, user.email, user.password);
    const setUp = await c.get('/mfa/set-up');
    const key = /data-testid="totp-key">([A-Z2-7 ]+)</.exec(setUp.body)![1]!.replace(/ /g, '');
    const codes = await c.post('/mfa/set-up', { code: totpCode(key, now.getTime()) });
    assert.equal(codes.statusCode, 200);
    const recovery = [...codes.body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(recovery.length, 10);
    await c.post('/sign-out');

    const d = client();
    await passwordStep(d, user.email, user.password);
    await d.get('/sign-in/recovery-code');
    const used = await d.post('/sign-in/recovery-code', { code: recovery[0]!.toLowerCase() });
    assert.equal(used.headers.location, '/home');
    await d.post('/sign-out');

    const e = client();
    await passwordStep(e, user.email, user.password);
    await e.get('/sign-in/recovery-code');
    const reused = await e.post('/sign-in/recovery-code', { code: recovery[0]! });
    assert.equal(reused.statusCode, 400);
    assert.ok((await actions(user.userId)).includes('auth.recovery_code_used:success'));
  });

  test('unknown user, wrong password, locked and not-yet-active accounts get the same answer', async () => {
    const user = await makeSignInUser(db);
    const invited = await makeSignInUser(db, { status: 'invited' });
    const locked = await makeSignInUser(db);
    await db
      .updateTable('app_user')
      .set({ locked_until: new Date(now.getTime() + 60_000) })
      .where('id', '=', locked.userId)
      .execute();
    const answers = [];
    for (const [email, password] of [
      ['nobody@agency.example', 'whatever password'],
      [user.email, 'wrong password here'],
      [locked.email, locked.password],
      [invited.email, invited.password],
    ] as const) {
      const res = await passwordStep(client(), email, password);
      answers.push({ status: res.statusCode, body: stable(res.body).replace(email, 'EMAIL') });
    }
    for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0]!.status, 400);
    assert.match(answers[0]!.body, /Enter a correct email address and password/);
  });

  test('10 failures in 5 minutes lock the account for 15 minutes', async () => {
    const user = await makeSignInUser(db);
    const c = client();
    for (let i = 0; i < 10; i++) await passwordStep(c, user.email, `wrong password ${i}`);
    const lockedOut = await passwordStep(c, user.email, user.password);
    assert.equal(lockedOut.statusCode, 400, 'the right password is refused while locked');
    assert.ok((await actions(user.userId)).includes('auth.locked_out:success'));

    now = new Date(now.getTime() + 15 * 60_000 + 1000);
    const after = await passwordStep(client(), user.email, user.password);
    assert.equal(after.headers.location, '/sign-in/code', 'the lock ends after 15 minutes');
  });

  test('failures spread over more than 5 minutes do not lock', async () => {
    const user = await makeSignInUser(db);
    for (let i = 0; i < 12; i++) {
      await passwordStep(client(), user.email, `wrong ${i}`);
      now = new Date(now.getTime() + 40_000);
    }
    const ok = await passwordStep(client(), user.email, user.password);
    assert.equal(ok.headers.location, '/sign-in/code');
  });

  test('wrong authenticator codes count towards the lockout', async () => {
    const user = await makeSignInUser(db);
    const c = client();
    await passwordStep(c, user.email, user.password);
    await c.get('/sign-in/code');
    let last = await c.post('/sign-in/code', { code: '000000' });
    for (let i = 1; i < 10; i++) last = await c.post('/sign-in/code', { code: '000000' });
    assert.match(last.body, /Enter a correct email address and password/, 'sent back to the start');
    const locked = await db
      .selectFrom('app_user')
      .select('locked_until')
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    assert.ok(locked.locked_until && locked.locked_until > now);
  });

  test('too many attempts from one address get 429 with Retry-After', async () => {
    const c = client();
    await c.get('/sign-in');
    let res = await c.post('/sign-in', { email: 'x@agency.example', password: 'nope nope nope' });
    for (let i = 1; i < 21; i++) {
      res = await c.post('/sign-in', { email: `x${i}@agency.example`, password: 'nope nope nope' });
    }
    assert.equal(res.statusCode, 429);
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.match(res.body, /Too many attempts/);
  });

  test('missing answers get an error summary with the email kept', async () => {
    const c = client();
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'someone@agency.example', password: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /Enter your password/);
    assert.match(res.body, /value="someone@agency.example"/);
    assert.match(res.body, /<title>Error: Sign in/);
  });
});
