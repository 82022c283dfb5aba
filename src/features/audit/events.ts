import type { AuditRecord } from '../../platform/audit/audit.ts';
import {
  displayNames,
  londonTime,
  roleLabel,
  UNKNOWN_AGENCY,
  UNKNOWN_USER,
  type DisplayTime,
} from '../../platform/audit/viewed-by.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { actionLabel, outcomeLabel, purposeLabel } from './labels.ts';

/** One audit event as the viewer's table shows it. All text: the template escapes it. */
export type EventRow = {
  seq: number;
  time: DisplayTime;
  actorName: string | null;
  agencyName: string | null;
  role: string | null;
  action: { code: string; label: string };
  subjectType: string;
  subjectId: string | null;
  caseId: string | null;
  purpose: string | null;
  outcome: { text: string; tag: string };
  requestId: string;
};

/** The events of one page, with the actors' names and agencies looked up in the same transaction. */
export async function eventRows(trx: Tx, events: readonly AuditRecord[]): Promise<EventRow[]> {
  const { users, agencies } = await displayNames(
    trx,
    events.map((e) => e.actorUserId),
    events.map((e) => e.actorAgencyId),
  );
  return events.map((e) => ({
    seq: e.seq,
    time: londonTime(e.occurredAt),
    actorName: e.actorUserId ? (users.get(e.actorUserId) ?? UNKNOWN_USER) : null,
    agencyName: e.actorAgencyId ? (agencies.get(e.actorAgencyId) ?? UNKNOWN_AGENCY) : null,
    role: roleLabel(e.actorRole),
    action: { code: e.action, label: actionLabel(e.action) },
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    caseId: e.caseId,
    purpose: purposeLabel(e.purpose),
    outcome: outcomeLabel(e.outcome),
    requestId: e.requestId,
  }));
}
