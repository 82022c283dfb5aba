import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../../test/factories.ts';
import { createTestApp } from '../../../../test/harness.ts';
import { completeReferral, errorList } from './testing.ts';

const { app, database, owner } = await createTestApp();
const db = database.db;
const area = await makeArea(db);
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const client = await new TestClient(app).signInAs(db, referrer.userId);

async function startDraft(c = client, areaId = area.id) {
  await c.get(`/areas/${areaId}/referrals/new`);
  const res = await c.post(`/areas/${areaId}/referrals/new`);
  assert.equal(res.statusCode, 303);
  return String(res.headers.location).split('/').pop()!;
}

describe('the referral journey', () => {
  test('a referral completed page by page, checked and submitted once', async () => {
    const start = await client.get('/referrals/new');
    assert.equal(start.statusCode, 303);
    const id = await startDraft();
    const tasks = await client.get(`/referrals/${id}`);
    assert.equal(tasks.statusCode, 200, tasks.body);
    assert.equal((tasks.body.match(/Not yet started/g) ?? []).length, 10);
    await completeReferral(client, id);
    const done = await client.get(`/referrals/${id}`);
    assert.equal((done.body.match(/>\s*Completed\s*</g) ?? []).length, 10, done.body);
    const check = await client.get(`/referrals/${id}/check`);
    assert.equal(check.statusCode, 200);
    assert.deepEqual(errorList(check.body), []);
    const key = /name="submissionKey" value="([^"]+)"/.exec(check.body)![1]!;
    const first = await client.post(`/referrals/${id}/submit`, { submissionKey: key });
    assert.equal(first.statusCode, 303, first.body);
    const again = await client.post(`/referrals/${id}/submit`, { submissionKey: key });
    assert.equal(again.headers.location, first.headers.location);
    const confirmation = await client.follow(String(first.headers.location));
    assert.match(confirmation.body, /Your reference number is [A-Z]+-\d{4}-\d{4}/);
    void owner;
    void coordinator;
  });
});
