import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { AuditRecord } from './audit.ts';
import { filteredEvents, toAuditRecord, type AuditFilters } from './queries.ts';

/** Column headings, in order. seq, prev_hash and hash let a reader check an export against the chain. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_user_id',
  'actor_agency_id',
  'actor_role',
  'action',
  'subject_type',
  'subject_id',
  'case_id',
  'purpose',
  'outcome',
  'request_id',
  'prev_hash',
  'hash',
] as const;

// A spreadsheet treats a cell starting with one of these as a formula (tab
// and CR too, as some strip them first), so such a cell could run a command
// on the reader's machine. A leading apostrophe makes it plain text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-neutralised, then quoted as RFC 4180 requires. null is an empty cell. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending in CRLF. */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvRow(event: AuditRecord): string {
  return csvLine([
    event.seq,
    event.occurredAt.toISOString(),
    event.actorUserId,
    event.actorAgencyId,
    event.actorRole,
    event.action,
    event.subjectType,
    event.subjectId,
    event.caseId,
    event.purpose,
    event.outcome,
    event.requestId,
    event.prevHash,
    event.hash,
  ]);
}

/** A whole CSV document (heading row first) for events already in memory. */
export function auditEventsToCsv(events: readonly AuditRecord[]): string {
  return csvLine(AUDIT_CSV_COLUMNS) + events.map(auditCsvRow).join('');
}

/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The matching events as CSV text, heading first, in chain order, a page at a
 * time, so an export of the whole trail never sits in memory at once. Pipe it
 * into a reply with Readable.from(). Record the export (audit.exported) in the
 * transaction that authorises it, before streaming.
 */
export async function* streamAuditCsv(
  db: Kysely<Schema>,
  filters: AuditFilters,
  { pageSize = EXPORT_PAGE_SIZE }: { pageSize?: number } = {},
): AsyncGenerator<string> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a whole number from 1');
  yield csvLine(AUDIT_CSV_COLUMNS);
  let after = 0;
  for (;;) {
    const rows = await filteredEvents(db, filters)
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length) yield rows.map((row) => auditCsvRow(toAuditRecord(row))).join('');
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
