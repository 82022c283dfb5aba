import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { recordAudit, type AuditEventInput } from '../../platform/audit/audit.ts';
import { AUDIT_CSV_COLUMNS, auditCsvRow } from '../../platform/audit/csv.ts';
import { toAuditRecord } from '../../platform/audit/queries.ts';
import { EXPORT_MAX_ROWS } from './page.ts';

// 23:30 UTC on 1 July is already 2 July in the UK (summer time): the file is named by the UK date.
const NOW = new Date('2025-07-01T23:30:00Z');
const { app, database, owner } = await createTestApp({ clock: () => NOW });
const db = database.db;

const area = await makeArea(db);
const agency = await makeAgency(db, area.id);
const ig = await makeUser(db, { globalRole: 'information_governance' });
const alice = await makeUser(db, { agencyId: agency.id, roles: [{ areaId: area.id, role: 'coordinator' }] });
const caseId = randomUUID();

async function record(event: Partial<AuditEventInput>) {
  return db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorUserId: alice.userId,
      actorAgencyId: agency.id,
      actorRole: 'coordinator',
      action: 'page.viewed',
      subjectType: 'case',
      subjectId: caseId,
      caseId,
      purpose: 'triage',
      outcome: 'success',
      requestId: randomUUID(),
      ...event,
    }),
  );
}

await record({});
await record({ action: 'access.denied', subjectType: 'route', subjectId: '/cases/:caseId', outcome: 'denied' });
// A value a spreadsheet would take for a formula.
await record({ subjectType: 'page', subjectId: '-1', caseId: null, purpose: null });
await record({ actorUserId: ig.userId, actorAgencyId: null, actorRole: null, action: 'auth.sign_in', caseId: null });

const client = await new TestClient(app).signInAs(db, ig.userId, NOW);

async function allRows() {
  return db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
}

async function countRows() {
  const { n } = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

const CRLF = '\r\n';
const HEADING = AUDIT_CSV_COLUMNS.join(',') + CRLF;

describe('the CSV export', () => {
  test('downloads every event, oldest first, with the chain columns, and records the export', async () => {
    const rows = await allRows();
    const res = await client.get('/audit/export.csv');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="marac-audit-trail-2025-07-02.csv"');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body, HEADING + rows.map((r) => auditCsvRow(toAuditRecord(r))).join(''));
    assert.ok(res.body.includes(`,page,'-1,`), 'a cell that looks like a formula is made plain text');

    const after = await allRows();
    assert.equal(after.length, rows.length + 1);
    const exported = after.at(-1)!;
    assert.equal(exported.action, 'audit.exported');
    assert.equal(exported.actor_user_id, ig.userId);
    assert.equal(exported.actor_role, 'information_governance');
    assert.equal(exported.subject_type, 'audit_event');
    assert.equal(exported.purpose, 'audit_review');
    assert.equal(exported.case_id, null);
    assert.equal(exported.outcome, 'success');
    assert.equal(exported.request_id, res.headers['x-request-id']);
  });

  test('takes the same filters as the viewer', async () => {
    const rows = await allRows();
    const expected = rows.filter((r) => r.actor_user_id === alice.userId && r.action === 'page.viewed');
    assert.equal(expected.length, 2);
    const params = new URLSearchParams({ user: alice.email.toUpperCase(), action: 'page.viewed' });
    const res = await client.get(`/audit/export.csv?${params.toString()}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, HEADING + expected.map((r) => auditCsvRow(toAuditRecord(r))).join(''));

    const byCase = await client.get(`/audit/export.csv?case=${caseId}`);
    assert.equal(byCase.body.split(CRLF).length - 2, rows.filter((r) => r.case_id === caseId).length);
    const exported = (await allRows()).at(-1)!;
    assert.equal(exported.action, 'audit.exported');
    assert.equal(exported.case_id, caseId, 'an export of one case’s trail is recorded against that case');

    const nothing = await client.get(`/audit/export.csv?case=${randomUUID()}`);
    assert.equal(nothing.statusCode, 200);
    assert.equal(nothing.body, HEADING);
  });

  test('wrong filters show the form with its errors, and nothing is exported or recorded', async () => {
    const before = (await allRows()).length;
    const res = await client.get('/audit/export.csv?case=nope&from-day=32&from-month=1&from-year=2025');
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['content-disposition'], undefined);
    assert.ok(res.body.includes('<a href="#case">Enter a case ID in the correct format'));
    assert.ok(res.body.includes('<a href="#from-day">Date from must be a real date</a>'));
    assert.ok(res.body.includes('value="nope"'));
    assert.equal((await allRows()).length, before);
  });

  test(`more than ${EXPORT_MAX_ROWS} events are refused with advice to narrow the dates`, async () => {
    // As the table owner, past the triggers: a bulk of rows without real hashes (the chain is not checked here).
    await owner.db.transaction().execute(async (trx) => {
      await sql`alter table audit_event disable trigger user`.execute(trx);
      await sql`insert into audit_event (seq, occurred_at, action, subject_type, outcome, request_id, prev_hash, hash)
                select s, date_trunc('milliseconds', now()), 'page.viewed', 'bulk', 'success', 'bulk',
                       repeat('0', 64), repeat('0', 64)
                  from (select max(seq) as last from audit_event) as m,
                       generate_series(m.last + 1, m.last + ${EXPORT_MAX_ROWS}) as s`.execute(trx);
      await sql`alter table audit_event enable trigger user`.execute(trx);
    });
    const before = await countRows();
    assert.ok(before > EXPORT_MAX_ROWS);
    const res = await client.get('/audit/export.csv');
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-disposition'], undefined);
    assert.match(res.body, /<h1 class="govuk-heading-l">Too many events to download<\/h1>/);
    assert.match(res.body, new RegExp(`${before} events match these filters`));
    assert.equal(await countRows(), before, 'nothing exported, nothing recorded');

    const page = await client.get('/audit');
    assert.match(page.body, /too many to download at once/);
    assert.ok(!page.body.includes('href="/audit/export.csv'));
    // A narrower export still works.
    const narrow = await client.get(`/audit/export.csv?user=${encodeURIComponent(alice.email)}`);
    assert.equal(narrow.statusCode, 200);
  });
});
