import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { auditHash } from './audit.ts';
import { toAuditRecord } from './queries.ts';

export type AuditChainReason =
  /** A position in the chain has no row: a row was deleted (or its seq changed). */
  | 'missing_row'
  /** The row does not name the hash of the row before it: rows removed, inserted or reordered. */
  | 'broken_link'
  /** The row's content no longer matches its own hash: the row was edited (or moved). */
  | 'hash_mismatch';

export type AuditChainResult =
  { ok: true; rows: number } | { ok: false; rows: number; firstBadSeq: number; reason: AuditChainReason };

/** Rows read per query: enough to keep round trips few, small enough to keep memory flat. */
export const VERIFY_PAGE_SIZE = 1000;

/**
 * Walks the whole audit chain in seq order, a page at a time, recomputing
 * every row's hash with the writer's own function, and stops at the first
 * position where the chain does not hold. `rows` counts the rows read (the
 * bad one included). Rows appended while it runs are simply walked too: the
 * chain only ever grows at its end.
 *
 * What it cannot see on its own: rows cut off the end of the chain, or a
 * chain rewritten from some row onwards by someone who can bypass the
 * triggers. Both need the last hash kept somewhere else (signed checkpoints).
 */
export async function verifyAuditChain(
  db: Kysely<Schema>,
  { pageSize = VERIFY_PAGE_SIZE }: { pageSize?: number } = {},
): Promise<AuditChainResult> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a whole number from 1');
  let expectedSeq = 1;
  let prevHash: string | null = null;
  let rows = 0;
  const fail = (reason: AuditChainReason, firstBadSeq: number): AuditChainResult => ({
    ok: false,
    rows,
    firstBadSeq,
    reason,
  });
  for (;;) {
    // Keyset paging on the primary key: each page is an index range scan,
    // however long the chain, and memory holds one page at a time.
    const page = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of page) {
      const record = toAuditRecord(row);
      if (record.seq !== expectedSeq) return fail('missing_row', expectedSeq);
      rows += 1;
      if (record.prevHash !== prevHash) return fail('broken_link', record.seq);
      const { hash, ...content } = record;
      if (auditHash(content) !== hash) return fail('hash_mismatch', record.seq);
      prevHash = hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) return { ok: true, rows };
  }
}
