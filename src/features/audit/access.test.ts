import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stable, TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser, type UserSpec } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';

const { app, database } = await createTestApp();
const db = database.db;
const area = await makeArea(db);
const agency = await makeAgency(db, area.id);

const PAGES = ['/audit', '/audit?action=audit.viewed', '/audit/export.csv', '/audit/export.csv?case=x'];

const refused: Record<string, UserSpec> = {
  coordinator: { agencyId: agency.id, roles: [{ areaId: area.id, role: 'coordinator' }] },
  'agency representative': { agencyId: agency.id, roles: [{ areaId: area.id, role: 'agency_representative' }] },
  analyst: { agencyId: agency.id, roles: [{ areaId: area.id, role: 'analyst' }] },
  chair: { agencyId: agency.id, roles: [{ areaId: area.id, role: 'chair' }] },
  IDVA: { agencyId: agency.id, roles: [{ areaId: area.id, role: 'idva' }] },
  referrer: { agencyId: agency.id, roles: [{ areaId: area.id, role: 'referrer' }] },
  'user with no role': { agencyId: agency.id },
};

async function rowsFor(userId: string) {
  return db
    .selectFrom('audit_event')
    .select(['action', 'subject_type', 'subject_id', 'outcome'])
    .where('actor_user_id', '=', userId)
    .orderBy('seq')
    .execute();
}

describe('who may reach the audit trail', () => {
  for (const [who, spec] of Object.entries(refused)) {
    test(`a signed-in ${who} gets the page-not-found page, and the refusal is audited`, async () => {
      const user = await makeUser(db, spec);
      const client = await new TestClient(app).signInAs(db, user.userId);
      const missing = await client.get('/no-such-page');
      assert.equal(missing.statusCode, 404);
      for (const url of PAGES) {
        const res = await client.get(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.headers['content-type'], missing.headers['content-type'], url);
        assert.equal(res.headers['content-disposition'], undefined, url);
        assert.equal(stable(res.body), stable(missing.body), `${url} looks exactly like a missing page`);
      }
      assert.deepEqual(
        await rowsFor(user.userId),
        PAGES.map((url) => ({
          action: 'access.denied',
          subject_type: 'route',
          subject_id: url.startsWith('/audit/export.csv') ? '/audit/export.csv' : '/audit',
          outcome: 'denied',
        })),
      );
    });
  }

  test('anyone not signed in is sent to sign in, and nothing is read or recorded', async () => {
    const before = await db.selectFrom('audit_event').select('seq').execute();
    for (const url of PAGES) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/sign-in', url);
      assert.ok(!res.body.includes('Audit trail'), url);
    }
    assert.equal((await db.selectFrom('audit_event').select('seq').execute()).length, before.length);
  });

  for (const [who, globalRole] of [
    ['system administrator', 'system_admin'],
    ['information-governance officer', 'information_governance'],
  ] as const) {
    test(`the ${who} may view and export it`, async () => {
      const user = await makeUser(db, { globalRole });
      const client = await new TestClient(app).signInAs(db, user.userId);
      const page = await client.get('/audit');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1 class="govuk-heading-l">Audit trail<\/h1>/);
      const csv = await client.get('/audit/export.csv');
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.deepEqual(
        (await rowsFor(user.userId)).map((r) => r.action),
        ['audit.viewed', 'audit.exported'],
      );
    });
  }
});
