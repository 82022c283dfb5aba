import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient, stable } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { errorSummary, lastAudit as lastAuditOf } from './testing.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';

const { app, database } = await createTestApp();
const db = database.db;

const admin = await makeUser(db, { globalRole: 'system_admin' });
const client = await new TestClient(app).signInAs(db, admin.userId);
const missing = stable((await client.get('/no-such-page')).body);

const lastAudit = (action: AuditAction) => lastAuditOf(db, action);

const summary = errorSummary;

describe('administration: agencies', () => {
  test('the list shows each agency with its kind label and a change link', async () => {
    const area = await makeArea(db);
    const agency = await makeAgency(db, area.id, 'childrens_social_care');
    const res = await client.get('/admin/agencies');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(agency.name));
    assert.ok(res.body.includes('Children&#39;s social care'), 'the label, escaped');
    assert.ok(res.body.includes(`href="/admin/agencies/${agency.id}/change"`));
  });

  test('adding an agency: every problem at once in the error summary, answers kept', async () => {
    const form = await client.get('/admin/agencies/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="kind" type="radio" value="police"/);
    const empty = await client.post('/admin/agencies/new', { name: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summary(empty.body), ['name: Enter the name of the agency', 'kind: Select the kind of agency']);
    const badKind = await client.post('/admin/agencies/new', { name: 'Wessex Fire', kind: 'fire' });
    assert.equal(badKind.statusCode, 400);
    assert.deepEqual(summary(badKind.body), ['kind: Select the kind of agency']);
    assert.ok(badKind.body.includes('value="Wessex Fire"'));
    const kept = await client.post('/admin/agencies/new', { name: '', kind: 'housing' });
    assert.match(kept.body, /value="housing" checked/, 'the chosen kind stays chosen');
  });

  test('adding an agency saves it, audited, and shows a banner on the list', async () => {
    const res = await client.post('/admin/agencies/new', { name: 'Wessex Probation', kind: 'probation' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/agencies?done=agency-added');
    const row = await db
      .selectFrom('agency')
      .select(['id', 'kind'])
      .where('name', '=', 'Wessex Probation')
      .executeTakeFirstOrThrow();
    assert.equal(row.kind, 'probation');
    assert.deepEqual(await lastAudit('admin.agency_created'), {
      actor_user_id: admin.userId,
      subject_type: 'agency',
      subject_id: row.id,
      outcome: 'success',
    });
    const list = await client.get(String(res.headers.location));
    assert.match(list.body, /Agency added/);
  });

  test('a duplicate agency name is a field error and nothing is saved', async () => {
    const agency = await makeAgency(db, (await makeArea(db)).id);
    const before = await db.selectFrom('agency').select('id').execute();
    const res = await client.post('/admin/agencies/new', { name: ` ${agency.name.toLowerCase()} `, kind: 'police' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['name: There is already an agency with this name']);
    assert.equal((await db.selectFrom('agency').select('id').execute()).length, before.length);
  });

  test('changing an agency: prefilled, duplicate refused, saved and audited', async () => {
    const area = await makeArea(db);
    const agency = await makeAgency(db, area.id, 'police');
    const other = await makeAgency(db, area.id, 'housing');
    const form = await client.get(`/admin/agencies/${agency.id}/change`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes(`value="${agency.name}"`));
    assert.match(form.body, /value="police" checked/);
    const clash = await client.post(`/admin/agencies/${agency.id}/change`, { name: other.name, kind: 'police' });
    assert.equal(clash.statusCode, 400);
    assert.deepEqual(summary(clash.body), ['name: There is already an agency with this name']);
    const res = await client.post(`/admin/agencies/${agency.id}/change`, { name: 'Renamed Agency', kind: 'other' });
    assert.equal(res.statusCode, 303);
    const row = await db
      .selectFrom('agency')
      .select(['name', 'kind'])
      .where('id', '=', agency.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'Renamed Agency', kind: 'other' });
    assert.deepEqual(await lastAudit('admin.agency_updated'), {
      actor_user_id: admin.userId,
      subject_type: 'agency',
      subject_id: agency.id,
      outcome: 'success',
    });
  });

  test('a malformed or random agency id gets the same 404 page as a missing one', async () => {
    for (const id of [crypto.randomUUID(), 'not-a-uuid', '00000000-0000-0000-0000-00000000000g']) {
      const get = await client.get(`/admin/agencies/${id}/change`);
      assert.equal(get.statusCode, 404);
      assert.equal(stable(get.body), missing);
      const post = await client.post(`/admin/agencies/${id}/change`, { name: 'X', kind: 'police' });
      assert.equal(post.statusCode, 404);
      assert.equal(stable(post.body), missing);
    }
  });
});
