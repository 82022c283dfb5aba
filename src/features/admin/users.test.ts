import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient, stable } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { errorSummary, lastAudit as lastAuditOf } from './testing.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';
import { createSession } from '../../platform/session/sessions.ts';
import { memoryMailer } from '../../platform/mail/mailer.ts';

const mailer = memoryMailer();
const { app, database, config, logs } = await createTestApp({ mailer });
const db = database.db;

const area = await makeArea(db);
const agency = await makeAgency(db, area.id, 'housing');
const admin = await makeUser(db, { globalRole: 'system_admin' });
const client = await new TestClient(app).signInAs(db, admin.userId);
const missing = stable((await client.get('/no-such-page')).body);

const lastAudit = (action: AuditAction) => lastAuditOf(db, action);

const summary = errorSummary;

const tokenIn = (text: string) =>
  new RegExp(`${config.publicUrl}/invitation\\?token=([A-Za-z0-9_-]{43})`).exec(text)?.[1];

const invite = {
  displayName: 'Alex Fairweather',
  email: '  Alex.Fairweather@Housing.Example ',
  agencyId: agency.id,
  globalRole: 'none',
};

describe('administration: users', () => {
  test('the users list shows name, email, agency, status and roles', async () => {
    const listed = await makeUser(db, { agencyId: agency.id, roles: [{ areaId: area.id, role: 'chair' }] });
    const res = await client.get('/admin/users');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(listed.email));
    assert.ok(res.body.includes(agency.name));
    assert.ok(res.body.includes(`Chair – ${area.name}`));
    assert.ok(res.body.includes('System administrator'));
    assert.match(res.body, /govuk-tag--green">Active</);
  });

  test('the invitation form reports every problem at once, in the order of the fields', async () => {
    const form = await client.get('/admin/users/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="none" checked/, '"no service role" is chosen to begin with');
    const empty = await client.post('/admin/users/new', {});
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summary(empty.body), [
      'displayName: Enter their full name',
      'email: Enter their work email address',
      'agencyId: Select their agency. Only someone with a service role may have no agency',
      'globalRole: Select whether they have a service role',
    ]);
    const bad = await client.post('/admin/users/new', {
      ...invite,
      email: 'alex at housing',
      agencyId: crypto.randomUUID(),
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(summary(bad.body), [
      'email: Enter an email address in the correct format, like name@example.gov.uk',
      'agencyId: Select their agency',
    ]);
    assert.ok(bad.body.includes('value="Alex Fairweather"'), 'answers are kept');
    assert.ok(bad.body.includes('value="alex at housing"'));
  });

  test('an email address that already has an account is refused, whatever its case', async () => {
    const existing = await makeUser(db);
    const res = await client.post('/admin/users/new', { ...invite, email: existing.email.toUpperCase() });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['email: There is already a user with this email address']);
  });

  test('inviting: check answers, change, send; the email holds a working link and no name', async () => {
    const check = await client.post('/admin/users/new', invite);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check the invitation before you send it/);
    assert.ok(check.body.includes('alex.fairweather@housing.example'), 'lower-cased and trimmed');
    assert.ok(check.body.includes(agency.name));
    assert.equal(
      await db.selectFrom('app_user').select('id').where('display_name', '=', invite.displayName).executeTakeFirst(),
      undefined,
      'nothing saved yet',
    );

    const change = await client.post('/admin/users/new', {
      step: 'change',
      displayName: invite.displayName,
      email: 'alex.fairweather@housing.example',
      agencyId: agency.id,
      globalRole: 'none',
    });
    assert.equal(change.statusCode, 200);
    assert.ok(change.body.includes('value="alex.fairweather@housing.example"'));
    assert.match(change.body, new RegExp(`value="${agency.id}" selected`));

    const sentBefore = mailer.messages.length;
    const res = await client.post('/admin/users/new', {
      step: 'send',
      displayName: invite.displayName,
      email: 'alex.fairweather@housing.example',
      agencyId: agency.id,
      globalRole: 'none',
    });
    assert.equal(res.statusCode, 303);
    const id = /^\/admin\/users\/([0-9a-f-]{36})\?done=invited$/.exec(String(res.headers.location))?.[1];
    assert.ok(id);
    const user = await db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(user.status, 'invited');
    assert.equal(user.email, 'alex.fairweather@housing.example');
    assert.equal(user.agency_id, agency.id);
    assert.equal(user.global_role, null);
    assert.equal(user.password_hash, null);
    assert.deepEqual(await lastAudit('admin.user_invited'), {
      actor_user_id: admin.userId,
      subject_type: 'user',
      subject_id: id,
      outcome: 'success',
    });

    assert.equal(mailer.messages.length, sentBefore + 1);
    const email = mailer.messages.at(-1)!;
    assert.equal(email.to, 'alex.fairweather@housing.example');
    for (const leak of ['Alex', 'Fairweather', agency.name, area.name]) {
      assert.ok(!email.text.includes(leak) && !email.subject.includes(leak), `the email must not name ${leak}`);
    }
    const token = tokenIn(email.text);
    assert.ok(token, 'the email holds the invitation link');

    const page = await client.get(String(res.headers.location));
    assert.match(page.body, /Invitation sent/);
    assert.match(page.body, /govuk-tag--blue">Invited</);

    const invitee = new TestClient(app);
    const accept = await invitee.get(`/invitation?token=${token}`);
    assert.equal(accept.statusCode, 200);
    assert.match(accept.body, /Create your password/);
    assert.ok(accept.body.includes('alex.fairweather@housing.example'));

    const again = await client.post('/admin/users/new', {
      step: 'send',
      displayName: 'Someone Else',
      email: 'alex.fairweather@housing.example',
      agencyId: agency.id,
      globalRole: 'none',
    });
    assert.equal(again.statusCode, 400, 'sending the same invitation twice is a field error');
    assert.deepEqual(summary(again.body), ['email: There is already a user with this email address']);

    const auditText = JSON.stringify(await db.selectFrom('audit_event').selectAll().execute()).toLowerCase();
    assert.ok(!auditText.includes('fairweather'), 'no names or email addresses in the audit trail');
  });

  test('someone with a service role may have no agency', async () => {
    const res = await client.post('/admin/users/new', {
      step: 'send',
      displayName: 'Ira Governance',
      email: 'ira@council.example',
      agencyId: '',
      globalRole: 'information_governance',
    });
    assert.equal(res.statusCode, 303);
    const user = await db
      .selectFrom('app_user')
      .select(['agency_id', 'global_role', 'status'])
      .where('email', '=', 'ira@council.example')
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, { agency_id: null, global_role: 'information_governance', status: 'invited' });
  });

  test('when the email cannot be sent, the account stays invited, the log names no one, and the page says so', async () => {
    const send = mailer.send.bind(mailer);
    mailer.send = async () => {
      throw Object.assign(new Error('550 mailbox quinn@housing.example unavailable'), { code: 'EENVELOPE' });
    };
    try {
      const res = await client.post('/admin/users/new', {
        step: 'send',
        ...invite,
        email: 'quinn@housing.example',
        displayName: 'Quinn',
      });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /\?done=not-sent$/);
      const page = await client.get(String(res.headers.location));
      assert.match(page.body, /The invitation email could not be sent/);
      assert.match(page.body, /Send a new invitation/);
    } finally {
      mailer.send = send;
    }
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'status'])
      .where('email', '=', 'quinn@housing.example')
      .executeTakeFirstOrThrow();
    assert.equal(user.status, 'invited');
    const logged = logs.lines.find((l) => l.msg === 'invitation email not sent');
    assert.ok(logged);
    assert.equal(logged.userId, user.id);
    assert.ok(!logs.text().includes('quinn'), 'no email address or name in the logs');
  });

  test('a new invitation replaces the old link, is audited, and only invited users get one', async () => {
    await client.post('/admin/users/new', {
      step: 'send',
      ...invite,
      email: 'robin@housing.example',
      displayName: 'Robin',
    });
    const first = tokenIn(mailer.messages.at(-1)!.text)!;
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'robin@housing.example')
      .executeTakeFirstOrThrow();
    const page = await client.get(`/admin/users/${user.id}`);
    assert.match(page.body, /Send a new invitation/);
    const res = await client.post(`/admin/users/${user.id}/invitation`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${user.id}?done=resent`);
    const second = tokenIn(mailer.messages.at(-1)!.text)!;
    assert.notEqual(second, first);
    const anonymous = new TestClient(app);
    assert.equal((await anonymous.get(`/invitation?token=${first}`)).statusCode, 404, 'the old link stops working');
    assert.equal((await anonymous.get(`/invitation?token=${second}`)).statusCode, 200);
    assert.deepEqual(await lastAudit('admin.invitation_resent'), {
      actor_user_id: admin.userId,
      subject_type: 'user',
      subject_id: user.id,
      outcome: 'success',
    });
    const active = await makeUser(db);
    const refused = await client.post(`/admin/users/${active.userId}/invitation`);
    assert.equal(refused.statusCode, 409);
  });

  test('disabling ends every session of the user at once and is audited', async () => {
    const target = await makeUser(db, { agencyId: agency.id, roles: [{ areaId: area.id, role: 'idva' }] });
    const targetClient = await new TestClient(app).signInAs(db, target.userId);
    await createSession(db, target.userId, new Date(), true); // a second device
    assert.equal((await targetClient.get('/home')).statusCode, 200);

    const confirm = await client.get(`/admin/users/${target.userId}/disable`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Disable this account\?/);
    const res = await client.post(`/admin/users/${target.userId}/disable`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${target.userId}?done=disabled`);

    const open = await db
      .selectFrom('user_session')
      .select(['ended_at', 'ended_reason'])
      .where('user_id', '=', target.userId)
      .execute();
    assert.equal(open.length, 2);
    for (const s of open) {
      assert.ok(s.ended_at, 'ended at once, before their next request');
      assert.equal(s.ended_reason, 'disabled');
    }
    const next = await targetClient.get('/home');
    assert.equal(next.statusCode, 303);
    assert.equal(next.headers.location, '/sign-in', 'their next request is signed out');
    assert.deepEqual(await lastAudit('admin.user_disabled'), {
      actor_user_id: admin.userId,
      subject_type: 'user',
      subject_id: target.userId,
      outcome: 'success',
    });
    const page = await client.get(`/admin/users/${target.userId}`);
    assert.match(page.body, /govuk-tag--grey">Disabled</);
    assert.match(page.body, /Enable account/);
  });

  test('disabling stops an unused invitation link, and enabling does not bring it back', async () => {
    await client.post('/admin/users/new', {
      step: 'send',
      ...invite,
      email: 'sam@housing.example',
      displayName: 'Sam',
    });
    const token = tokenIn(mailer.messages.at(-1)!.text)!;
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'sam@housing.example')
      .executeTakeFirstOrThrow();
    await client.post(`/admin/users/${user.id}/disable`);
    const enabled = await client.post(`/admin/users/${user.id}/enable`);
    assert.equal(enabled.statusCode, 303);
    assert.equal(enabled.headers.location, `/admin/users/${user.id}?done=enabled-invited`);
    const row = await db.selectFrom('app_user').select('status').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'invited', 'never accepted, so back to invited');
    assert.equal((await new TestClient(app).get(`/invitation?token=${token}`)).statusCode, 404);
  });

  test('enabling a user who had a password makes them active again, audited', async () => {
    const user = await makeUser(db, { status: 'disabled' });
    await db.updateTable('app_user').set({ password_hash: 'x' }).where('id', '=', user.userId).execute();
    const res = await client.post(`/admin/users/${user.userId}/enable`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${user.userId}?done=enabled`);
    const row = await db
      .selectFrom('app_user')
      .select('status')
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.deepEqual(await lastAudit('admin.user_enabled'), {
      actor_user_id: admin.userId,
      subject_type: 'user',
      subject_id: user.userId,
      outcome: 'success',
    });
  });

  test('you cannot disable your own account; the attempt is audited as denied', async () => {
    const page = await client.get(`/admin/users/${admin.userId}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`/admin/users/${admin.userId}/disable`), 'no disable button on your own page');
    const get = await client.get(`/admin/users/${admin.userId}/disable`);
    assert.equal(get.statusCode, 400);
    const res = await client.post(`/admin/users/${admin.userId}/disable`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /You cannot disable your own account/);
    const row = await db
      .selectFrom('app_user')
      .select('status')
      .where('id', '=', admin.userId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.deepEqual(await lastAudit('admin.user_disabled'), {
      actor_user_id: admin.userId,
      subject_type: 'user',
      subject_id: admin.userId,
      outcome: 'denied',
    });
    assert.equal((await client.get('/admin')).statusCode, 200, 'still signed in');
  });

  test('roles: added and removed, audited, and in force on the member’s next request', async () => {
    const member = await makeUser(db, { agencyId: agency.id });
    const memberClient = await new TestClient(app).signInAs(db, member.userId);
    const membersPage = `/areas/${area.id}/members`;
    assert.equal((await memberClient.get(membersPage)).statusCode, 404);

    const form = await client.get(`/admin/users/${member.userId}/roles/new`);
    assert.equal(form.statusCode, 200);
    const empty = await client.post(`/admin/users/${member.userId}/roles/new`, {});
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summary(empty.body), ['areaId: Select an area', 'role: Select a role']);
    const unknownArea = await client.post(`/admin/users/${member.userId}/roles/new`, {
      areaId: crypto.randomUUID(),
      role: 'coordinator',
    });
    assert.deepEqual(summary(unknownArea.body), ['areaId: Select an area']);
    assert.match(unknownArea.body, /value="coordinator" checked/);

    const res = await client.post(`/admin/users/${member.userId}/roles/new`, { areaId: area.id, role: 'coordinator' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/users/${member.userId}?done=role-added`);
    assert.deepEqual(await lastAudit('admin.membership_added'), {
      actor_user_id: admin.userId,
      subject_type: 'membership',
      subject_id: `${member.userId}:${area.id}:coordinator`,
      outcome: 'success',
    });
    assert.equal((await memberClient.get(membersPage)).statusCode, 200, 'the new role works at once');

    const twice = await client.post(`/admin/users/${member.userId}/roles/new`, {
      areaId: area.id,
      role: 'coordinator',
    });
    assert.equal(twice.statusCode, 400);
    assert.deepEqual(summary(twice.body), ['role: They already have this role in this area']);

    const page = await client.get(`/admin/users/${member.userId}`);
    assert.ok(page.body.includes(`/admin/users/${member.userId}/roles/${area.id}/coordinator/remove`));
    const removed = await client.post(`/admin/users/${member.userId}/roles/${area.id}/coordinator/remove`);
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(await lastAudit('admin.membership_removed'), {
      actor_user_id: admin.userId,
      subject_type: 'membership',
      subject_id: `${member.userId}:${area.id}:coordinator`,
      outcome: 'success',
    });
    const after = await memberClient.get(membersPage);
    assert.equal(after.statusCode, 404, 'the removed role stops working on their next request');
  });

  test('a service role cannot be combined with a role in an area', async () => {
    const ig = await makeUser(db, { globalRole: 'information_governance' });
    const res = await client.post(`/admin/users/${ig.userId}/roles/new`, { areaId: area.id, role: 'chair' });
    assert.equal(res.statusCode, 400);
    assert.match(summary(res.body)[0]!, /^areaId: This person holds a service role/);
    const rows = await db.selectFrom('membership').select('role').where('user_id', '=', ig.userId).execute();
    assert.deepEqual(rows, []);
  });

  test('user ids: a malformed id, a random id and a role they do not hold all get the same 404 page', async () => {
    const other = await makeArea(db);
    const user = await makeUser(db, { roles: [{ areaId: other.id, role: 'chair' }] });
    const random = crypto.randomUUID();
    for (const id of [random, 'not-a-uuid', `${user.userId.slice(0, -1)}`]) {
      for (const url of [`/admin/users/${id}`, `/admin/users/${id}/roles/new`, `/admin/users/${id}/disable`]) {
        const res = await client.get(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal(stable(res.body), missing, url);
      }
      for (const url of [
        `/admin/users/${id}/roles/new`,
        `/admin/users/${id}/disable`,
        `/admin/users/${id}/enable`,
        `/admin/users/${id}/invitation`,
        `/admin/users/${id}/roles/${other.id}/chair/remove`,
      ]) {
        const res = await client.post(url, { areaId: area.id, role: 'chair' });
        assert.equal(res.statusCode, 404, url);
        assert.equal(stable(res.body), missing, url);
      }
    }
    for (const url of [
      `/admin/users/${user.userId}/roles/${area.id}/chair/remove`, // a role they hold in another area only
      `/admin/users/${user.userId}/roles/${random}/chair/remove`,
      `/admin/users/${user.userId}/roles/not-a-uuid/chair/remove`,
      `/admin/users/${user.userId}/roles/${other.id}/coordinator/remove`,
      `/admin/users/${user.userId}/roles/${other.id}/superuser/remove`,
      `/admin/users/${user.userId}/roles/${other.id}/constructor/remove`,
    ]) {
      const res = await client.post(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    const kept = await db.selectFrom('membership').select('role').where('user_id', '=', user.userId).execute();
    assert.deepEqual(kept, [{ role: 'chair' }]);
  });
});
