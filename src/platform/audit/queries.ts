import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { READ_ACTIONS, type AuditAction } from './actions.ts';
import { AuditError, canonicalUuid, type AuditRecord } from './audit.ts';
import type { AuditEventTable } from './schema.ts';

/** Filters for the audit viewer; all optional, combined with AND. */
export type AuditFilters = {
  actorUserId?: string;
  caseId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive, so whole days chain without overlap: from 1 May to 2 May. */
  to?: Date;
  action?: AuditAction;
};

/** 1-based page number and page size (at most MAX_PAGE_SIZE). */
export type AuditPage = { page: number; pageSize: number };

export const MAX_PAGE_SIZE = 500;

export type AuditEventList = { events: AuditRecord[]; total: number; page: number; pageSize: number };

/** One person's reads of a record, for a "who has viewed this" panel. */
export type Viewer = {
  userId: string;
  agencyId: string | null;
  role: string | null;
  firstViewedAt: Date;
  lastViewedAt: Date;
  views: number;
};

export type ViewedRecord = { subjectType: string; subjectId: string } | { caseId: string };

export function toAuditRecord(row: Selectable<AuditEventTable>): AuditRecord {
  return {
    // int8 arrives as a number on both engines; Number() keeps that true whatever the parser.
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorAgencyId: row.actor_agency_id,
    actorRole: row.actor_role,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    caseId: row.case_id,
    purpose: row.purpose,
    outcome: row.outcome,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The events matching the filters, shared by the viewer and the CSV export. */
export function filteredEvents(db: Kysely<Schema>, filters: AuditFilters) {
  let query = db.selectFrom('audit_event');
  if (filters.actorUserId !== undefined)
    query = query.where('actor_user_id', '=', canonicalUuid(filters.actorUserId, 'actorUserId'));
  if (filters.caseId !== undefined) query = query.where('case_id', '=', canonicalUuid(filters.caseId, 'caseId'));
  if (filters.from !== undefined) query = query.where('occurred_at', '>=', validDate(filters.from, 'from'));
  if (filters.to !== undefined) query = query.where('occurred_at', '<', validDate(filters.to, 'to'));
  if (filters.action !== undefined) query = query.where('action', '=', filters.action);
  return query;
}

/** A page of matching events, newest first (chain order), with the total for pagination. */
export async function listAuditEvents(
  db: Kysely<Schema>,
  filters: AuditFilters,
  page: AuditPage,
): Promise<AuditEventList> {
  if (!Number.isInteger(page.page) || page.page < 1) throw new AuditError('page must be a whole number from 1');
  if (!Number.isInteger(page.pageSize) || page.pageSize < 1 || page.pageSize > MAX_PAGE_SIZE)
    throw new AuditError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  const [rows, count] = await Promise.all([
    filteredEvents(db, filters)
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    filteredEvents(db, filters)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { events: rows.map(toAuditRecord), total: Number(count.total), page: page.page, pageSize: page.pageSize };
}

/**
 * Everyone who has read a record — one subject, or anything within a case —
 * with their first and last read and how many. Reads are READ_ACTIONS that
 * succeeded; a denied attempt is not a view (it is listed as access.denied).
 * Most recent reader first.
 */
export async function viewersOf(db: Kysely<Schema>, record: ViewedRecord): Promise<Viewer[]> {
  let query = db
    .selectFrom('audit_event')
    .where('action', 'in', READ_ACTIONS)
    .where('outcome', '=', 'success')
    .where('actor_user_id', 'is not', null);
  query =
    'caseId' in record
      ? query.where('case_id', '=', canonicalUuid(record.caseId, 'caseId'))
      : query.where('subject_type', '=', record.subjectType).where('subject_id', '=', record.subjectId);
  const rows = await query
    .select((eb) => [
      'actor_user_id',
      'actor_agency_id',
      'actor_role',
      eb.fn.min('occurred_at').as('first_viewed_at'),
      eb.fn.max('occurred_at').as('last_viewed_at'),
      eb.fn.countAll<number>().as('views'),
    ])
    .groupBy(['actor_user_id', 'actor_agency_id', 'actor_role'])
    .orderBy('last_viewed_at', 'desc')
    .orderBy('actor_user_id')
    .execute();
  return rows.map((r) => ({
    userId: r.actor_user_id!,
    agencyId: r.actor_agency_id,
    role: r.actor_role,
    firstViewedAt: r.first_viewed_at,
    lastViewedAt: r.last_viewed_at,
    views: Number(r.views),
  }));
}

function validDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new AuditError(`${field} must be a valid date`);
  return value;
}
