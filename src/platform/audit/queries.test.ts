import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from '../db/migrator.ts';
import { AuditError, recordAudit, type AuditEventInput, type AuditRecord } from './audit.ts';
import { listAuditEvents, viewersOf, type AuditFilters } from './queries.ts';

const { db } = await createTestDatabase();
await migrate(db);

const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()];
const [police, idva] = [randomUUID(), randomUUID()];
const [case1, case2] = [randomUUID(), randomUUID()];

async function record(overrides: Partial<AuditEventInput>): Promise<AuditRecord> {
  await sleep(2); // each event its own millisecond, so orders by time are deterministic
  return db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorUserId: null,
      actorAgencyId: null,
      actorRole: null,
      action: 'page.viewed',
      subjectType: 'case',
      subjectId: null,
      caseId: null,
      purpose: null,
      outcome: 'success',
      requestId: randomUUID(),
      ...overrides,
    }),
  );
}

const viewCase = (actorUserId: string, agencyId: string, role: string, caseId: string) =>
  record({
    actorUserId,
    actorAgencyId: agencyId,
    actorRole: role,
    subjectId: caseId,
    caseId,
    purpose: 'meeting_preparation',
  });

// Two batches of events, apart in time, so date ranges can split them.
const earlier = [
  await record({ action: 'auth.sign_in', subjectType: 'user', subjectId: alice, actorUserId: alice }),
  await viewCase(alice, police, 'representative', case1),
  await viewCase(alice, police, 'representative', case1),
  await viewCase(bob, idva, 'idva', case1),
  await record({ actorUserId: carol, action: 'access.denied', subjectId: case1, caseId: case1, outcome: 'denied' }),
  await record({ actorUserId: alice, action: 'admin.user_invited', subjectType: 'user', subjectId: carol }),
];
await sleep(20);
const later = [
  await viewCase(bob, idva, 'idva', case1),
  await viewCase(alice, police, 'representative', case2),
  await record({ actorUserId: carol, subjectId: case1, caseId: case1, outcome: 'denied' }),
  await record({
    actorUserId: carol,
    actorAgencyId: idva,
    actorRole: 'coordinator',
    action: 'audit.exported',
    subjectType: 'audit_trail',
    caseId: case1,
    purpose: 'audit_review',
  }),
  await record({ action: 'auth.sign_in_failed', subjectType: 'sign_in', outcome: 'failed' }),
];
const all = [...earlier, ...later];
const newestFirst = (events: AuditRecord[]) => [...events].sort((a, b) => b.seq - a.seq);
const seqs = (events: AuditRecord[]) => events.map((e) => e.seq);

async function listAll(filters: AuditFilters) {
  return listAuditEvents(db, filters, { page: 1, pageSize: 100 });
}

describe('listAuditEvents', () => {
  test('with no filters: every event, newest first, each with all its fields', async () => {
    const { events, total } = await listAll({});
    assert.equal(total, all.length);
    assert.deepEqual(events, newestFirst(all));
  });

  test('pages through the events without overlap or loss, with the total on each page', async () => {
    const seen: AuditRecord[] = [];
    for (let page = 1; page <= 4; page++) {
      const result = await listAuditEvents(db, {}, { page, pageSize: 3 });
      assert.equal(result.total, all.length);
      assert.equal(result.page, page);
      assert.equal(result.events.length, page <= 3 ? 3 : 2);
      seen.push(...result.events);
    }
    assert.deepEqual(seqs(seen), seqs(newestFirst(all)));
    const beyond = await listAuditEvents(db, {}, { page: 5, pageSize: 3 });
    assert.deepEqual(beyond.events, []);
    assert.equal(beyond.total, all.length);
  });

  test('filters by acting user', async () => {
    const { events, total } = await listAll({ actorUserId: alice });
    const expected = all.filter((e) => e.actorUserId === alice);
    assert.equal(expected.length, 5);
    assert.equal(total, 5);
    assert.deepEqual(seqs(events), seqs(newestFirst(expected)));
    const upper = await listAll({ actorUserId: alice.toUpperCase() });
    assert.deepEqual(seqs(upper.events), seqs(events), 'a uuid is a uuid whatever its case');
  });

  test('filters by case', async () => {
    const { events, total } = await listAll({ caseId: case1 });
    const expected = all.filter((e) => e.caseId === case1);
    assert.equal(total, 7);
    assert.deepEqual(seqs(events), seqs(newestFirst(expected)));
    assert.equal((await listAll({ caseId: randomUUID() })).total, 0);
  });

  test('filters by action', async () => {
    const { events, total } = await listAll({ action: 'access.denied' });
    assert.equal(total, 1);
    assert.equal(events[0]?.actorUserId, carol);
    assert.equal((await listAll({ action: 'audit.viewed' })).total, 0);
  });

  test('filters by date: from is inclusive, to is exclusive', async () => {
    const boundary = later[0]!.occurredAt;
    assert.ok(earlier.at(-1)!.occurredAt < boundary, 'the batches are apart in time');
    assert.deepEqual(seqs((await listAll({ from: boundary })).events), seqs(newestFirst(later)));
    assert.deepEqual(seqs((await listAll({ to: boundary })).events), seqs(newestFirst(earlier)));
    const [from, to] = [earlier[1]!.occurredAt, earlier[3]!.occurredAt];
    const window = await listAll({ from, to });
    assert.deepEqual(seqs(window.events), [earlier[2]!.seq, earlier[1]!.seq]);
    assert.equal(window.total, 2);
    assert.equal((await listAll({ from: new Date(Date.now() + 60_000) })).total, 0);
  });

  test('combines filters', async () => {
    const { events, total } = await listAll({ actorUserId: alice, caseId: case1, action: 'page.viewed' });
    assert.equal(total, 2);
    assert.deepEqual(seqs(events), [earlier[2]!.seq, earlier[1]!.seq]);
    const later1 = await listAll({ actorUserId: bob, from: later[0]!.occurredAt });
    assert.deepEqual(seqs(later1.events), [later[0]!.seq]);
  });

  test('refuses malformed filters and pages', async () => {
    await assert.rejects(listAll({ actorUserId: "x' or 1=1 --" }), AuditError);
    await assert.rejects(listAll({ from: new Date('not a date') }), AuditError);
    await assert.rejects(listAuditEvents(db, {}, { page: 0, pageSize: 10 }), AuditError);
    await assert.rejects(listAuditEvents(db, {}, { page: 1, pageSize: 501 }), AuditError);
    await assert.rejects(listAuditEvents(db, {}, { page: 1.5, pageSize: 10 }), AuditError);
  });
});

describe('viewersOf', () => {
  test('a case: everyone who read anything in it, with first and last read and count, latest first', async () => {
    const viewers = await viewersOf(db, { caseId: case1 });
    assert.deepEqual(viewers, [
      {
        userId: carol,
        agencyId: idva,
        role: 'coordinator',
        firstViewedAt: later[3]!.occurredAt,
        lastViewedAt: later[3]!.occurredAt,
        views: 1,
      },
      {
        userId: bob,
        agencyId: idva,
        role: 'idva',
        firstViewedAt: earlier[3]!.occurredAt,
        lastViewedAt: later[0]!.occurredAt,
        views: 2,
      },
      {
        userId: alice,
        agencyId: police,
        role: 'representative',
        firstViewedAt: earlier[1]!.occurredAt,
        lastViewedAt: earlier[2]!.occurredAt,
        views: 2,
      },
    ]);
  });

  test('denied attempts and non-read actions are not views', async () => {
    const viewers = await viewersOf(db, { caseId: case1 });
    // carol's two denied attempts are not counted; her one export is.
    assert.equal(viewers.find((v) => v.userId === carol)?.views, 1);
    // alice's sign-in and invitation name her, but read nothing in a case.
    assert.deepEqual(
      (await viewersOf(db, { subjectType: 'user', subjectId: carol })).map((v) => v.userId),
      [],
    );
  });

  test('one record: only reads of that subject', async () => {
    const viewers = await viewersOf(db, { subjectType: 'case', subjectId: case1 });
    assert.deepEqual(
      viewers.map((v) => [v.userId, v.views]),
      [
        [bob, 2],
        [alice, 2],
      ],
    );
    assert.deepEqual(
      (await viewersOf(db, { subjectType: 'case', subjectId: case2 })).map((v) => [v.userId, v.views]),
      [[alice, 1]],
    );
    assert.deepEqual(await viewersOf(db, { caseId: randomUUID() }), []);
  });
});
