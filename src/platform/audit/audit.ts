import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import {
  isAuditAction,
  isAuditOutcome,
  isAuditPurpose,
  type AuditAction,
  type AuditOutcome,
  type AuditPurpose,
} from './actions.ts';
import { isUuid } from '../ids.ts';

/** What happened, by whom, to what. Ids and codes only — never names, addresses or free text. */
export type AuditEventInput = {
  actorUserId: string | null;
  actorAgencyId: string | null;
  actorRole: string | null;
  action: AuditAction;
  subjectType: string;
  subjectId: string | null;
  caseId: string | null;
  purpose: AuditPurpose | null;
  outcome: AuditOutcome;
  requestId: string;
};

/** A written row: the event with its chain position, time and hashes. */
export type AuditRecord = AuditEventInput & {
  seq: number;
  occurredAt: Date;
  prevHash: string | null;
  hash: string;
};

export class AuditError extends Error {
  override name = 'AuditError';
}

// Bumped only with a new encoding, which the verifier would then have to know too.
const ENCODING_VERSION = 'marac-audit-v1';

/**
 * The row's hash: SHA-256 (hex) of the UTF-8 JSON of one ordered array holding
 * every column but `hash`. A JSON array is unambiguous — no separator can be
 * forged inside a value, and null differs from "null" — and the time is always
 * `Date.toISOString()` (UTC, milliseconds), which the column round-trips
 * exactly. The writer and the verifier both call this, so they cannot drift.
 */
export function auditHash(row: Omit<AuditRecord, 'hash'>): string {
  const canonical = JSON.stringify([
    ENCODING_VERSION,
    row.seq,
    row.occurredAt.toISOString(),
    row.actorUserId,
    row.actorAgencyId,
    row.actorRole,
    row.action,
    row.subjectType,
    row.subjectId,
    row.caseId,
    row.purpose,
    row.outcome,
    row.requestId,
    row.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

// Any constant will do so long as nothing else locks it: it names "the audit
// chain" (the migrator uses 7_041_985).
const AUDIT_CHAIN_LOCK = 7_041_986;

/**
 * Appends one event to the audit trail inside the caller's transaction, so the
 * event commits or rolls back with what it records: if this insert fails, the
 * transaction fails and the action does not happen.
 *
 * Trade-off: a transaction-level advisory lock serialises audit writers from
 * this call until their transaction ends. That is what keeps the chain a single
 * line — two transactions can never both claim the same predecessor — and a
 * rolled-back transaction leaves no row and no gap, because seq is taken from
 * the last committed row rather than a sequence. The price is that audited
 * transactions queue behind each other for as long as they run after this
 * call, so record the event as late as possible (just before commit) and keep
 * slow work out of audited transactions. Call it at READ COMMITTED (the
 * default): a REPEATABLE READ snapshot taken before the lock cannot see the
 * latest row, and the insert then fails (unique seq) rather than forking.
 */
export async function recordAudit(trx: Transaction<Schema>, event: AuditEventInput): Promise<AuditRecord> {
  if (!trx.isTransaction) throw new AuditError('recordAudit must be given the transaction of the action it records');
  const content = normalise(event);
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  // clock_timestamp(), not now(): now() is when the transaction began, so a
  // transaction that waited for the lock would go back in time along the chain.
  const { rows } = await sql<{ seq: number | null; hash: string | null; now: Date }>`
    select last.seq, last.hash, date_trunc('milliseconds', clock_timestamp()) as now
      from (select 1) as one
      left join (select seq, hash from audit_event order by seq desc limit 1) as last on true`.execute(trx);
  const last = rows[0];
  if (!last) throw new AuditError('could not read the end of the audit chain');
  const unhashed = { ...content, seq: (last.seq ?? 0) + 1, occurredAt: last.now, prevHash: last.hash };
  const record: AuditRecord = { ...unhashed, hash: auditHash(unhashed) };
  await trx
    .insertInto('audit_event')
    .values({
      seq: record.seq,
      occurred_at: record.occurredAt.toISOString(),
      actor_user_id: record.actorUserId,
      actor_agency_id: record.actorAgencyId,
      actor_role: record.actorRole,
      action: record.action,
      subject_type: record.subjectType,
      subject_id: record.subjectId,
      case_id: record.caseId,
      purpose: record.purpose,
      outcome: record.outcome,
      request_id: record.requestId,
      prev_hash: record.prevHash,
      hash: record.hash,
    })
    .execute();
  return record;
}

/**
 * A uuid in the one spelling PostgreSQL gives back (lower case, hyphenated):
 * the hash is taken before the insert, so '{ABC…}' stored as 'abc…' would
 * otherwise fail verification for ever.
 */
export function canonicalUuid(value: string | null, field: string): string | null {
  if (value === null) return null;
  if (!isUuid(value)) throw new AuditError(`audit ${field} must be a uuid`);
  return value.toLowerCase();
}

// The vocabularies are checked here as well as by the types, because casts
// and untyped callers exist; the database checks them again.
function normalise(event: AuditEventInput): AuditEventInput {
  if (!isAuditAction(event.action)) throw new AuditError(`unknown audit action: ${String(event.action)}`);
  if (!isAuditOutcome(event.outcome)) throw new AuditError(`unknown audit outcome: ${String(event.outcome)}`);
  if (event.purpose !== null && !isAuditPurpose(event.purpose))
    throw new AuditError(`unknown audit purpose: ${String(event.purpose)}`);
  return {
    actorUserId: canonicalUuid(event.actorUserId, 'actorUserId'),
    actorAgencyId: canonicalUuid(event.actorAgencyId, 'actorAgencyId'),
    actorRole: event.actorRole,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    caseId: canonicalUuid(event.caseId, 'caseId'),
    purpose: event.purpose,
    outcome: event.outcome,
    requestId: event.requestId,
  };
}
