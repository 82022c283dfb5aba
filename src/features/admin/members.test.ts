import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient, stable } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { errorSummary, lastAudit as lastAuditOf } from './testing.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';

const { app, database } = await createTestApp();
const db = database.db;

const areaA = await makeArea(db);
const areaB = await makeArea(db);
const police = await makeAgency(db, areaA.id, 'police');
const coordinator = await makeUser(db, { agencyId: police.id, roles: [{ areaId: areaA.id, role: 'coordinator' }] });
const coordinatorB = await makeUser(db, { roles: [{ areaId: areaB.id, role: 'coordinator' }] });
const memberB = await makeUser(db, { agencyId: police.id, roles: [{ areaId: areaB.id, role: 'chair' }] });
const client = await new TestClient(app).signInAs(db, coordinator.userId);
const missing = stable((await client.get('/no-such-page')).body);

const lastAudit = (action: AuditAction) => lastAuditOf(db, action);

const summary = errorSummary;

const members = `/areas/${areaA.id}/members`;

describe('an area’s coordinator manages its roles', () => {
  test('the members page lists everyone with a role in the area, and only this area', async () => {
    const res = await client.get(members);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(coordinator.email));
    assert.ok(res.body.includes(police.name));
    assert.match(res.body, /Coordinator/);
    assert.ok(!res.body.includes(memberB.email), 'not another area’s people');
    assert.ok(!res.body.includes(coordinatorB.email));
  });

  test('adding a role by email: problems are field errors with the answers kept', async () => {
    const form = await client.get(`${members}/new`);
    assert.equal(form.statusCode, 200);
    const empty = await client.post(`${members}/new`, {});
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summary(empty.body), ['email: Enter their work email address', 'role: Select a role']);
    const unknown = await client.post(`${members}/new`, { email: 'Nobody@Nowhere.Example', role: 'chair' });
    assert.equal(unknown.statusCode, 400);
    assert.match(summary(unknown.body)[0]!, /^email: There is no active or invited user with this email address/);
    assert.ok(unknown.body.includes('value="Nobody@Nowhere.Example"'));
    assert.match(unknown.body, /value="chair" checked/);
    const disabled = await makeUser(db, { status: 'disabled' });
    const refused = await client.post(`${members}/new`, { email: disabled.email, role: 'chair' });
    assert.equal(refused.statusCode, 400);
    assert.match(summary(refused.body)[0]!, /^email: There is no active or invited user/);
    const admin = await makeUser(db, { globalRole: 'system_admin' });
    const serviceRole = await client.post(`${members}/new`, { email: admin.email, role: 'chair' });
    assert.equal(serviceRole.statusCode, 400);
    assert.match(summary(serviceRole.body)[0]!, /^email: This person holds a service role/);
    const rows = await db
      .selectFrom('membership')
      .select('user_id')
      .where('user_id', 'in', [disabled.userId, admin.userId])
      .execute();
    assert.deepEqual(rows, []);
  });

  test('adding a role for an invited user, audited; their new role works on their next request', async () => {
    const invited = await makeUser(db, { status: 'invited', agencyId: police.id });
    const res = await client.post(`${members}/new`, { email: ` ${invited.email.toUpperCase()} `, role: 'referrer' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${members}?done=role-added`);
    assert.deepEqual(await lastAudit('admin.membership_added'), {
      actor_user_id: coordinator.userId,
      subject_type: 'membership',
      subject_id: `${invited.userId}:${areaA.id}:referrer`,
      outcome: 'success',
    });
    const page = await client.get(String(res.headers.location));
    assert.match(page.body, /Role added/);
    assert.ok(page.body.includes(invited.email));
    const twice = await client.post(`${members}/new`, { email: invited.email, role: 'referrer' });
    assert.equal(twice.statusCode, 400);
    assert.deepEqual(summary(twice.body), ['role: They already have this role in this area']);

    const colleague = await makeUser(db, { agencyId: police.id });
    const colleagueClient = await new TestClient(app).signInAs(db, colleague.userId);
    assert.equal((await colleagueClient.get(members)).statusCode, 404);
    await client.post(`${members}/new`, { email: colleague.email, role: 'coordinator' });
    assert.equal(
      (await colleagueClient.get(members)).statusCode,
      200,
      'the new coordinator can manage the area at once',
    );

    await client.get(members);
    const removed = await client.post(`${members}/${colleague.userId}/coordinator/remove`);
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `${members}?done=role-removed`);
    assert.deepEqual(await lastAudit('admin.membership_removed'), {
      actor_user_id: coordinator.userId,
      subject_type: 'membership',
      subject_id: `${colleague.userId}:${areaA.id}:coordinator`,
      outcome: 'success',
    });
    const after = await colleagueClient.get(members);
    assert.equal(after.statusCode, 404, 'and loses it on their next request');
    assert.equal(stable(after.body), stable((await colleagueClient.get('/no-such-page')).body));
  });

  test('the coordinator of area A gets the 404 page for every URL of area B, and the denial is audited', async () => {
    const urls = [`/areas/${areaB.id}/members`, `/areas/${areaB.id}/members/new`];
    for (const url of urls) {
      const res = await client.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    const posts = [`/areas/${areaB.id}/members/new`, `/areas/${areaB.id}/members/${memberB.userId}/chair/remove`];
    for (const url of posts) {
      const res = await client.post(url, { email: coordinator.email, role: 'chair' });
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    assert.deepEqual(await lastAudit('access.denied'), {
      actor_user_id: coordinator.userId,
      subject_type: 'route',
      subject_id: '/areas/:areaId/members/:userId/:role/remove',
      outcome: 'denied',
    });
    const rows = await db
      .selectFrom('membership')
      .select(['user_id', 'role'])
      .where('area_id', '=', areaB.id)
      .execute();
    assert.equal(rows.length, 2, 'area B is unchanged');
  });

  test('removing: another area’s member, a random id, a malformed id and an unknown role all get the same 404', async () => {
    const urls = [
      `${members}/${memberB.userId}/chair/remove`,
      `${members}/${crypto.randomUUID()}/chair/remove`,
      `${members}/not-a-uuid/chair/remove`,
      `${members}/${coordinator.userId}/owner/remove`,
      `${members}/${coordinator.userId}/__proto__/remove`,
      `/areas/not-a-uuid/members/${coordinator.userId}/coordinator/remove`,
      `/areas/${crypto.randomUUID()}/members/${coordinator.userId}/coordinator/remove`,
    ];
    for (const url of urls) {
      const res = await client.post(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    for (const url of [`/areas/not-a-uuid/members`, `/areas/${crypto.randomUUID()}/members/new`]) {
      const res = await client.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    const still = await db.selectFrom('membership').select('role').where('user_id', '=', memberB.userId).execute();
    assert.deepEqual(still, [{ role: 'chair' }]);
  });

  test('the system administrator may manage any area’s roles; a missing area is the 404 page', async () => {
    const admin = await makeUser(db, { globalRole: 'system_admin' });
    const adminClient = await new TestClient(app).signInAs(db, admin.userId);
    const adminMissing = stable((await adminClient.get('/no-such-page')).body);
    assert.equal((await adminClient.get(`/areas/${areaB.id}/members`)).statusCode, 200);
    const random = await adminClient.get(`/areas/${crypto.randomUUID()}/members`);
    assert.equal(random.statusCode, 404);
    assert.equal(stable(random.body), adminMissing);
    const randomPost = await adminClient.post(`/areas/${crypto.randomUUID()}/members/new`, {
      email: coordinator.email,
      role: 'chair',
    });
    assert.equal(randomPost.statusCode, 404);
    assert.equal(stable(randomPost.body), adminMissing);
  });
});
