import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from '../db/migrator.ts';
import type { Schema } from '../db/schema.ts';
import { auditHash, recordAudit } from './audit.ts';
import { toAuditRecord } from './queries.ts';
import { verifyAuditChain, type AuditChainResult } from './verify.ts';

const { db } = await createTestDatabase();
await migrate(db);

const ROWS = 10;
// Small pages, so tampering lands on page boundaries as well as inside pages.
const pageSize = 3;

/**
 * Tampers as the table owner would — triggers off, change, triggers on — and
 * returns what the verifier then says, seen from inside the same transaction,
 * which is then rolled back so each test starts from the intact chain.
 */
async function verifyAfter(
  tamper: (trx: Transaction<Schema>) => Promise<unknown>,
  bypass: 'disable_trigger' | 'replica' = 'disable_trigger',
): Promise<AuditChainResult> {
  let result: AuditChainResult | undefined;
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      if (bypass === 'replica') await sql`set local session_replication_role = replica`.execute(trx);
      else await sql`alter table audit_event disable trigger user`.execute(trx);
      await tamper(trx);
      if (bypass === 'replica') await sql`set local session_replication_role = origin`.execute(trx);
      else await sql`alter table audit_event enable trigger user`.execute(trx);
      result = await verifyAuditChain(trx, { pageSize });
      throw new Error('undo the tampering');
    }),
    /undo the tampering/,
  );
  assert.ok(result);
  return result;
}

/** Swaps two rows' chain positions, through a free seq because seq is unique. */
async function swap(trx: Transaction<Schema>, a: number, b: number) {
  await sql`update audit_event set seq = 1000000 where seq = ${a}`.execute(trx);
  await sql`update audit_event set seq = ${a} where seq = ${b}`.execute(trx);
  await sql`update audit_event set seq = ${b} where seq = 1000000`.execute(trx);
}

describe('verifyAuditChain', () => {
  test('an empty trail verifies', async () => {
    assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: 0 });
  });

  test('an intact chain verifies, across pages of any size', async () => {
    for (let i = 0; i < ROWS; i++)
      await db.transaction().execute((trx) =>
        recordAudit(trx, {
          actorUserId: randomUUID(),
          actorAgencyId: null,
          actorRole: 'idva',
          action: 'page.viewed',
          subjectType: 'case',
          subjectId: randomUUID(),
          caseId: randomUUID(),
          purpose: 'triage',
          outcome: 'success',
          requestId: `request-${i}`,
        }),
      );
    for (const size of [1, 3, ROWS, ROWS + 1, 1000])
      assert.deepEqual(await verifyAuditChain(db, { pageSize: size }), { ok: true, rows: ROWS }, `page size ${size}`);
    await assert.rejects(verifyAuditChain(db, { pageSize: 0 }), RangeError);
  });

  test('an edited row is named', async () => {
    const result = await verifyAfter((trx) =>
      sql`update audit_event set outcome = 'denied' where seq = 5`.execute(trx),
    );
    assert.deepEqual(result, { ok: false, rows: 5, firstBadSeq: 5, reason: 'hash_mismatch' });
  });

  test('an edited time is caught, under either way of bypassing the triggers', async () => {
    const result = await verifyAfter(
      (trx) => sql`update audit_event set occurred_at = occurred_at - interval '1 day' where seq = 2`.execute(trx),
      'replica',
    );
    assert.deepEqual(result, { ok: false, rows: 2, firstBadSeq: 2, reason: 'hash_mismatch' });
  });

  test('a row edited and re-hashed breaks the link from the next row', async () => {
    const result = await verifyAfter(async (trx) => {
      const row = toAuditRecord(
        await trx.selectFrom('audit_event').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow(),
      );
      const edited = { ...row, subjectId: randomUUID() };
      await sql`update audit_event set subject_id = ${edited.subjectId}, hash = ${auditHash(edited)}
                 where seq = 5`.execute(trx);
    });
    assert.deepEqual(result, { ok: false, rows: 6, firstBadSeq: 6, reason: 'broken_link' });
  });

  test('a deleted row is named by its position, at a page boundary or inside a page', async () => {
    for (const seq of [1, 4, 8]) {
      const result = await verifyAfter((trx) => sql`delete from audit_event where seq = ${seq}`.execute(trx));
      assert.deepEqual(result, { ok: false, rows: seq - 1, firstBadSeq: seq, reason: 'missing_row' }, `row ${seq}`);
    }
  });

  test('two rows swapped in order are caught at the first of them', async () => {
    for (const [a, b] of [
      [6, 7],
      [3, 4],
      [2, 9],
    ] as const) {
      const result = await verifyAfter((trx) => swap(trx, a, b));
      assert.deepEqual(result, { ok: false, rows: a, firstBadSeq: a, reason: 'broken_link' }, `${a} and ${b}`);
    }
  });

  test('a row inserted into the chain is caught', async () => {
    const result = await verifyAfter(async (trx) => {
      // Make room at 4 by moving 4… up one, top first to keep seq unique.
      for (let seq = ROWS; seq >= 4; seq--)
        await sql`update audit_event set seq = seq + 1 where seq = ${seq}`.execute(trx);
      await sql`insert into audit_event (seq, occurred_at, action, subject_type, outcome, request_id, prev_hash, hash)
                select 4, occurred_at, 'page.viewed', 'case', 'success', 'forged', hash, ${'c'.repeat(64)}
                  from audit_event where seq = 3`.execute(trx);
    });
    assert.deepEqual(result, { ok: false, rows: 4, firstBadSeq: 4, reason: 'hash_mismatch' });
  });

  test('an appended row with a made-up hash is caught, even when it links correctly', async () => {
    // No bypass needed: the chain trigger checks links, only the verifier checks hashes.
    let result: AuditChainResult | undefined;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`set local role marac_app`.execute(trx);
        await sql`insert into audit_event (seq, occurred_at, action, subject_type, outcome, request_id, prev_hash, hash)
                  select seq + 1, occurred_at, 'page.viewed', 'case', 'success', 'forged', hash, ${'d'.repeat(64)}
                    from audit_event where seq = ${ROWS}`.execute(trx);
        result = await verifyAuditChain(trx);
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.deepEqual(result, { ok: false, rows: ROWS + 1, firstBadSeq: ROWS + 1, reason: 'hash_mismatch' });
  });

  test('after all that, the real chain is intact', async () => {
    assert.deepEqual(await verifyAuditChain(db, { pageSize }), { ok: true, rows: ROWS });
  });
});
