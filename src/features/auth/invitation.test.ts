import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeSignInUser, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { memoryMailer } from '../../platform/mail/mailer.ts';
import { totpCode } from '../../platform/identity/totp.ts';
import { createLink } from './links.ts';

let now = new Date('2026-11-23T10:00:00Z');
const mailer = memoryMailer();
const { app, database } = await createTestApp({ clock: () => now, mailer });
const { db } = database;

async function invite() {
  const user = await makeUser(db, { status: 'invited' });
  const token = await withTransaction(db, { requestId: 'test' }, (trx) =>
    createLink(trx, user.userId, 'invitation', null, now),
  );
  return { user, token };
}

describe('accepting an invitation', () => {
  test('set a password, set up the authenticator, see recovery codes, sign in', async () => {
    const { user, token } = await invite();
    const c = new TestClient(app);
    const page = await c.get(`/invitation?token=${token}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(user.email));

    const weak = await c.post('/invitation', { token, password: 'password1234', confirmPassword: 'password1234' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /govuk-error-summary/);
    assert.ok(!weak.body.includes('value="password1234"'), 'a password is never sent back to the page');

    const mismatch = await c.post('/invitation', {
      token,
      password: 'lantern orchard velvet',
      confirmPassword: 'lantern orchard velvte',
    });
    assert.match(mismatch.body, /The passwords do not match/);

    const set = await c.post('/invitation', {
      token,
      password: 'lantern orchard velvet',
      confirmPassword: 'lantern orchard velvet',
    });
    assert.equal(set.headers.location, '/mfa/set-up');

    const setUp = await c.get('/mfa/set-up');
    assert.match(setUp.body, /<img src="\/mfa\/set-up\/qr.svg" alt="QR code for your authenticator app"/);
    const qr = await c.get('/mfa/set-up/qr.svg');
    assert.match(String(qr.headers['content-type']), /^image\/svg\+xml/);
    const key = /data-testid="totp-key">([A-Z2-7 ]+)</.exec(setUp.body)![1]!.replace(/ /g, '');
    const wrong = await c.post('/mfa/set-up', { code: '123456' });
    assert.equal(wrong.statusCode, 400);
    const done = await c.post('/mfa/set-up', { code: totpCode(key, now.getTime()) });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Save your recovery codes/);
    assert.equal((await c.get('/home')).statusCode, 200);

    const row = await db
      .selectFrom('app_user')
      .select(['status', 'mfa_enrolled_at'])
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.ok(row.mfa_enrolled_at);
    const audit = await db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_user_id', '=', user.userId)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['auth.invitation_accepted', 'auth.mfa_enrolled', 'auth.sign_in'],
    );

    // The link is single-use.
    const again = await new TestClient(app).get(`/invitation?token=${token}`);
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /This link has expired or has already been used/);
  });

  test('an expired, forged or malformed link shows the same page', async () => {
    const { token } = await invite();
    now = new Date(now.getTime() + 8 * 24 * 60 * 60_000);
    for (const t of [token, 'A'.repeat(43), 'not-a-token', '']) {
      const res = await new TestClient(app).get(`/invitation?token=${encodeURIComponent(t)}`);
      assert.equal(res.statusCode, 404, t);
      assert.match(res.body, /This link has expired or has already been used/);
    }
  });
});

describe('resetting a password', () => {
  test('the same answer whether or not the address has an account; only a real one gets an email', async () => {
    const user = await makeSignInUser(db);
    const c = new TestClient(app);
    await c.get('/password-reset');
    const unknown = await c.post('/password-reset', { email: 'nobody@agency.example' });
    const known = await c.post('/password-reset', { email: user.email });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.match(known.body, /Check your email/);
    assert.match(unknown.body, /Check your email/);
    const sent = mailer.messages.filter((m) => m.to === user.email);
    assert.equal(sent.length, 1);
    assert.equal(mailer.messages.filter((m) => m.to === 'nobody@agency.example').length, 0);
  });

  test('the emailed link sets a new password and ends every session', async () => {
    const user = await makeSignInUser(db);
    const before = await new TestClient(app).signInAs(db, user.userId, now);
    const c = new TestClient(app);
    await c.get('/password-reset');
    await c.post('/password-reset', { email: user.email });
    const message = mailer.messages.findLast((m) => m.to === user.email)!;
    assert.ok(!message.text.includes(user.email), 'the email holds a link, not personal data');
    const link = /(\/password-reset\/new\?token=[A-Za-z0-9_-]+)/.exec(message.text)![1]!;
    const form = await c.get(link);
    assert.equal(form.statusCode, 200);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const res = await c.post('/password-reset/new', {
      token,
      password: 'quiet harbour lanterns',
      confirmPassword: 'quiet harbour lanterns',
    });
    assert.equal(res.headers.location, '/sign-in?notice=password-changed');
    assert.equal((await before.get('/home')).headers.location, '/sign-in', 'the old session ended');

    const signIn = new TestClient(app);
    await signIn.get('/sign-in');
    const step = await signIn.post('/sign-in', { email: user.email, password: 'quiet harbour lanterns' });
    assert.equal(step.headers.location, '/sign-in/code', 'the new password works; the second factor is still needed');
    const reuse = await c.get(link);
    assert.equal(reuse.statusCode, 404, 'the link works once');
  });
});
