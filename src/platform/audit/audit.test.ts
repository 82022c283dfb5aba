import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from '../db/migrator.ts';
import type { Schema } from '../db/schema.ts';
import { AUDIT_ACTIONS, AUDIT_PURPOSES, type AuditAction } from './actions.ts';
import { AuditError, auditHash, recordAudit, type AuditEventInput, type AuditRecord } from './audit.ts';
import { toAuditRecord } from './queries.ts';
import { verifyAuditChain } from './verify.ts';

const { db } = await createTestDatabase();
await migrate(db);

function event(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actorUserId: randomUUID(),
    actorAgencyId: randomUUID(),
    actorRole: 'coordinator',
    action: 'page.viewed',
    subjectType: 'case',
    subjectId: randomUUID(),
    caseId: randomUUID(),
    purpose: 'meeting_preparation',
    outcome: 'success',
    requestId: randomUUID(),
    ...overrides,
  };
}

async function allRows() {
  return (await db.selectFrom('audit_event').selectAll().orderBy('seq').execute()).map(toAuditRecord);
}

async function areaNames() {
  return (await db.selectFrom('marac_area').select('name').execute()).map((r) => r.name);
}

/** Inserts a row as a writer that skips recordAudit would: correct chain link, made-up hash, chosen content. */
async function rawInsert(trx: Transaction<Schema>, content: Record<string, unknown>) {
  const last = await trx.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').executeTakeFirst();
  const e = event();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    occurred_at: '2025-01-01T00:00:00.000Z',
    actor_user_id: e.actorUserId,
    action: e.action,
    subject_type: e.subjectType,
    outcome: e.outcome,
    request_id: e.requestId,
    prev_hash: last?.hash ?? null,
    hash: 'a'.repeat(64),
    ...content,
  };
  await sql`insert into audit_event ${sql.raw(`(${Object.keys(row).join(', ')})`)}
            values (${sql.join(Object.values(row))})`.execute(trx);
}

describe('recordAudit', () => {
  test('a recorded event round-trips with every field, and the chain verifies', async () => {
    const input = event({ action: 'admin.user_disabled', subjectType: 'user', purpose: 'administration' });
    const before = Date.now();
    const written = await db.transaction().execute((trx) => recordAudit(trx, input));
    const [stored, ...others] = await allRows();
    assert.equal(others.length, 0);
    assert.deepEqual(stored, written);
    assert.deepEqual(
      { ...stored, seq: 0, occurredAt: null, prevHash: null, hash: null },
      {
        ...input,
        seq: 0,
        occurredAt: null,
        prevHash: null,
        hash: null,
      },
    );
    assert.equal(stored.seq, 1);
    assert.equal(stored.prevHash, null, 'the first row has no predecessor');
    assert.match(stored.hash, /^[0-9a-f]{64}$/);
    assert.ok(stored.occurredAt instanceof Date);
    assert.ok(Math.abs(stored.occurredAt.getTime() - before) < 60_000, 'stamped with the current time');
    assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 1 });
  });

  test('nullable fields are stored as null, uuids in PostgreSQL’s spelling, and the next row links to the last', async () => {
    const upper = randomUUID().toUpperCase();
    const written = await db.transaction().execute((trx) =>
      recordAudit(
        trx,
        event({
          actorUserId: null,
          actorAgencyId: null,
          actorRole: null,
          action: 'auth.sign_in_failed',
          subjectType: 'sign_in',
          subjectId: null,
          caseId: upper,
          purpose: null,
          outcome: 'failed',
        }),
      ),
    );
    const rows = await allRows();
    const stored = rows.at(-1)!;
    assert.deepEqual(stored, written);
    assert.equal(stored.caseId, upper.toLowerCase());
    assert.equal(stored.actorUserId, null);
    assert.equal(stored.purpose, null);
    assert.equal(stored.prevHash, rows.at(-2)!.hash);
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  test('a rolled-back transaction leaves no audit row and no gap in the chain', async () => {
    const before = await allRows();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, event({ requestId: 'rolled-back' }));
        throw new Error('the action failed after auditing');
      }),
      /the action failed after auditing/,
    );
    assert.deepEqual(await allRows(), before, 'no row was left behind');
    const next = await db.transaction().execute((trx) => recordAudit(trx, event()));
    assert.equal(next.seq, before.length + 1, 'the next event takes the next position');
    assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: before.length + 1 });
  });

  test('an audit event the code refuses fails the whole action', async () => {
    for (const bad of [
      { action: 'case.deleted_quietly' as AuditAction },
      { outcome: 'maybe' as AuditEventInput['outcome'] },
      { purpose: 'curiosity' as AuditEventInput['purpose'] },
      { actorUserId: 'not-a-uuid' },
    ]) {
      const name = `Refused MARAC ${Object.keys(bad)[0]}`;
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('marac_area').values({ name }).execute();
          await recordAudit(trx, event(bad));
        }),
        AuditError,
      );
      assert.ok(!(await areaNames()).includes(name), `the action was undone (${name})`);
    }
  });

  test('an audit insert the database refuses fails the whole action', async () => {
    const rowsBefore = (await allRows()).length;
    // A subject id with a space looks like a name: the database will not store it.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('marac_area').values({ name: 'Never audited MARAC' }).execute();
        await recordAudit(trx, event({ subjectId: 'Jane Smith' }));
      }),
      /audit_event_subject_id_check/,
    );
    assert.ok(!(await areaNames()).includes('Never audited MARAC'));
    assert.equal((await allRows()).length, rowsBefore);
    // And the same action with a proper event goes through.
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('marac_area').values({ name: 'Audited MARAC' }).execute();
      await recordAudit(trx, event({ action: 'admin.area_created', subjectType: 'marac_area' }));
    });
    assert.ok((await areaNames()).includes('Audited MARAC'));
  });

  test('refuses to run outside a transaction', async () => {
    await assert.rejects(recordAudit(db as unknown as Transaction<Schema>, event()), AuditError);
  });

  test('every action and purpose in the vocabulary is accepted by the database', async () => {
    await db.transaction().execute(async (trx) => {
      for (const action of AUDIT_ACTIONS) await recordAudit(trx, event({ action }));
      for (const purpose of AUDIT_PURPOSES) await recordAudit(trx, event({ purpose }));
    });
    const actions = new Set((await allRows()).map((r) => r.action));
    for (const action of AUDIT_ACTIONS) assert.ok(actions.has(action), action);
    assert.equal((await verifyAuditChain(db)).ok, true);
  });
});

describe('the audit_event table', () => {
  test('its checks refuse rows that skip recordAudit with bad content', async () => {
    for (const [content, constraint] of [
      [{ action: 'Signed in' }, /audit_event_action_check/],
      [{ outcome: 'maybe' }, /audit_event_outcome_check/],
      [{ purpose: 'curiosity' }, /audit_event_purpose_check/],
      [{ subject_id: 'jane@example.org' }, /audit_event_subject_id_check/],
      [{ request_id: 'two words' }, /audit_event_request_id_check/],
      [{ hash: 'not a hash' }, /audit_event_hash_check/],
      [{ occurred_at: '2025-01-01T00:00:00.000123Z' }, /audit_event_occurred_at_check/],
    ] as const) {
      await assert.rejects(
        db.transaction().execute((trx) => rawInsert(trx, content)),
        constraint,
      );
    }
    // The same helper with nothing wrong succeeds (rolled back: its hash is made up),
    // so the refusals above came from the content.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await rawInsert(trx, {});
        throw new Error('rolled back on purpose');
      }),
      /rolled back on purpose/,
    );
  });

  test('a row must extend the chain: next seq and the last row’s hash', async () => {
    const rows = await allRows();
    const last = rows.at(-1)!;
    for (const content of [
      { seq: last.seq + 2 },
      { seq: last.seq },
      { prev_hash: rows.at(-2)!.hash },
      { seq: 1, prev_hash: null },
    ]) {
      await assert.rejects(
        db.transaction().execute((trx) => rawInsert(trx, content)),
        /does not extend the chain|duplicate key|audit_event_pkey/,
        JSON.stringify(content),
      );
    }
  });

  test('UPDATE, DELETE and TRUNCATE are refused by the trigger, even for the owner', async () => {
    for (const [statement, op] of [
      [sql`update audit_event set outcome = 'denied' where seq = 1`, 'UPDATE'],
      [sql`delete from audit_event where seq = 1`, 'DELETE'],
      [sql`truncate audit_event`, 'TRUNCATE'],
    ] as const) {
      await assert.rejects(statement.execute(db), new RegExp(`audit_event is append-only: ${op} is not allowed`));
    }
    assert.equal((await allRows())[0]?.outcome, 'success');
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  test('the application role may read and append, and nothing else', async () => {
    const asApp = <T>(fn: (trx: Transaction<Schema>) => Promise<T>) =>
      db.transaction().execute(async (trx) => {
        await sql`set local role marac_app`.execute(trx);
        return fn(trx);
      });
    const written = await asApp((trx) => recordAudit(trx, event({ action: 'auth.sign_in', purpose: null })));
    assert.deepEqual((await allRows()).at(-1), written, 'recordAudit works as marac_app');
    const seen = await asApp((trx) => trx.selectFrom('audit_event').select('seq').execute());
    assert.equal(seen.length, written.seq);
    for (const statement of [
      sql`update audit_event set outcome = 'denied' where seq = 1`,
      sql`delete from audit_event where seq = 1`,
      sql`truncate audit_event`,
    ]) {
      await assert.rejects(
        asApp((trx) => statement.execute(trx)),
        /permission denied for table audit_event/,
      );
    }
    await assert.rejects(
      asApp((trx) => sql`alter table audit_event disable trigger user`.execute(trx)),
      /must be owner of table audit_event/,
    );
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  test('PUBLIC has no privileges on it', async () => {
    const { rows } = await sql<{ grantee: string; privilege_type: string }>`
      select grantee, privilege_type from information_schema.role_table_grants
       where table_name = 'audit_event' and grantee in ('PUBLIC', 'marac_app')
       order by grantee, privilege_type`.execute(db);
    assert.deepEqual(
      rows.map((r) => `${r.grantee}:${r.privilege_type}`),
      ['marac_app:INSERT', 'marac_app:SELECT'],
    );
  });
});

describe('concurrent audit writers', () => {
  test('transactions auditing at the same time produce one unbroken chain', async () => {
    const before = (await allRows()).length;
    const writers = 8;
    const written = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        db.transaction().execute(async (trx) => {
          // Interleave: some work before and after auditing, of varying length.
          await sql`select pg_sleep(${(i % 3) * 0.005})`.execute(trx);
          const first = await recordAudit(trx, event({ requestId: `writer-${i}-a` }));
          await sql`select pg_sleep(${((i + 1) % 3) * 0.005})`.execute(trx);
          const second = await recordAudit(trx, event({ requestId: `writer-${i}-b` }));
          return [first, second];
        }),
      ),
    );
    const seqs = written
      .flat()
      .map((r) => r.seq)
      .sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: writers * 2 }, (_, i) => before + 1 + i),
      'each event took its own position, with no gaps',
    );
    for (const [first, second] of written) assert.equal(second!.seq, first!.seq + 1, 'a transaction holds the chain');
    const rows = await allRows();
    for (const row of rows.slice(1)) assert.ok(row.occurredAt >= rows[row.seq - 2]!.occurredAt, 'time never goes back');
    assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: before + writers * 2 });
  });
});

describe('auditHash', () => {
  test('changes with every field and with the previous hash', () => {
    const base: Omit<AuditRecord, 'hash'> = {
      ...event(),
      seq: 7,
      occurredAt: new Date('2025-05-01T09:30:00.123Z'),
      prevHash: 'b'.repeat(64),
    };
    const hash = auditHash(base);
    assert.equal(hash, auditHash({ ...base }), 'deterministic');
    const variants: Partial<typeof base>[] = [
      { seq: 8 },
      { occurredAt: new Date('2025-05-01T09:30:00.124Z') },
      { actorUserId: null },
      { actorAgencyId: randomUUID() },
      { actorRole: 'idva' },
      { action: 'page.viewed' === base.action ? 'audit.viewed' : 'page.viewed' },
      { subjectType: 'person' },
      { subjectId: null },
      { caseId: randomUUID() },
      { purpose: 'triage' },
      { outcome: 'denied' },
      { requestId: 'another-request' },
      { prevHash: null },
    ];
    for (const change of variants) assert.notEqual(auditHash({ ...base, ...change }), hash, JSON.stringify(change));
    // Unambiguous: moving text between neighbouring fields changes the hash.
    assert.notEqual(
      auditHash({ ...base, actorRole: 'a', subjectType: 'bc' }),
      auditHash({ ...base, actorRole: 'ab', subjectType: 'c' }),
    );
    assert.notEqual(auditHash({ ...base, subjectId: 'null' }), auditHash({ ...base, subjectId: null }));
  });
});
