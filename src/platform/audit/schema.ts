import type { ColumnType } from 'kysely';
import type { AuditAction, AuditOutcome, AuditPurpose } from './actions.ts';

// Every column is insert-only: `never` as the update type makes Kysely refuse
// an UPDATE at compile time, as the database's trigger and grants do at run time.
type Fixed<T> = ColumnType<T, T, never>;

/** migrations/0003_audit_trail.sql. Write rows only through recordAudit. */
export type AuditEventTable = {
  seq: Fixed<number>;
  /** Read as a Date; written as an ISO 8601 UTC string with milliseconds. */
  occurred_at: ColumnType<Date, string, never>;
  actor_user_id: Fixed<string | null>;
  actor_agency_id: Fixed<string | null>;
  actor_role: Fixed<string | null>;
  action: Fixed<AuditAction>;
  subject_type: Fixed<string>;
  subject_id: Fixed<string | null>;
  case_id: Fixed<string | null>;
  purpose: Fixed<AuditPurpose | null>;
  outcome: Fixed<AuditOutcome>;
  request_id: Fixed<string>;
  prev_hash: Fixed<string | null>;
  hash: Fixed<string>;
};
