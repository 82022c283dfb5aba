import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.ts';
import type { ReferralStatus } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { visibleReferrals } from '../referrals/queries.ts';

/** The queue's sort orders, as `?sort=` takes them. Anything else falls back to the default. */
export const SORTS = ['waiting', 'score', 'received'] as const;
export type Sort = (typeof SORTS)[number];

export function parseSort(value: unknown): Sort {
  return typeof value === 'string' && (SORTS as readonly string[]).includes(value) ? (value as Sort) : 'waiting';
}

/** Readable words for the criteria codes stored on a referral (src/features/referrals/rules/criteria.ts). */
export const CRITERION_LABELS: Record<string, string> = {
  visible_high_risk: 'Visible high risk',
  professional_judgement: 'Professional judgement',
  potential_escalation: 'Potential escalation',
  repeat: 'Repeat',
};

export type QueueRow = {
  id: string;
  reference: string | null;
  status: ReferralStatus;
  victimName: string | null;
  receivedAt: Date;
  daysWaiting: number;
  criteria: string[];
  score: number | null;
  isRepeat: boolean;
  children: number;
  isEmergency: boolean;
};

export type Queue = {
  new: QueueRow[];
  returned: QueueRow[];
  accepted: QueueRow[];
  /** Open referrals flagged as emergencies (also listed under their status). */
  emergency: QueueRow[];
};

const DAY_MS = 86_400_000;

/**
 * The area's open referrals for triage: only this area's, only what the actor may see (the same predicate as every
 * referral read, with row-level security underneath), with the victim's name and the number of children.
 * Sorted here rather than in SQL so that "days waiting" is counted from the app's clock everywhere.
 */
export async function areaQueue(trx: Tx, actor: Actor, areaId: string, now: Date, sort: Sort): Promise<Queue> {
  const rows = await trx
    .selectFrom('referral')
    .select((eb) => [
      'referral.id',
      'referral.reference',
      'referral.status',
      'referral.submitted_at',
      'referral.criteria_met',
      'referral.score',
      'referral.repeat_of_referral_id',
      'referral.is_emergency',
      eb
        .selectFrom('case_person')
        .innerJoin('person', 'person.id', 'case_person.person_id')
        .select(sql<string>`person.given_names || ' ' || person.family_name`.as('name'))
        .whereRef('case_person.case_id', '=', 'referral.case_id')
        .where('case_person.role', '=', 'victim')
        .limit(1)
        .as('victim_name'),
      eb
        .selectFrom('case_person')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('case_person.case_id', '=', 'referral.case_id')
        .where('case_person.role', '=', 'child')
        .as('children'),
    ])
    .where('referral.area_id', '=', areaId)
    .where('referral.status', 'in', ['submitted', 'returned', 'accepted'])
    .where(visibleReferrals(actor))
    .execute();

  const queue: QueueRow[] = rows.map((row) => {
    const receivedAt = row.submitted_at ?? now;
    return {
      id: row.id,
      reference: row.reference,
      status: row.status,
      victimName: row.victim_name,
      receivedAt,
      daysWaiting: Math.max(0, Math.floor((now.getTime() - receivedAt.getTime()) / DAY_MS)),
      criteria: row.criteria_met.map((code) => CRITERION_LABELS[code] ?? code),
      score: row.score,
      isRepeat: row.repeat_of_referral_id !== null,
      children: Number(row.children ?? 0),
      isEmergency: row.is_emergency,
    };
  });
  queue.sort(ORDER[sort]);
  return {
    new: queue.filter((r) => r.status === 'submitted'),
    returned: queue.filter((r) => r.status === 'returned'),
    accepted: queue.filter((r) => r.status === 'accepted'),
    emergency: queue.filter((r) => r.isEmergency),
  };
}

const byId = (a: QueueRow, b: QueueRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const oldestFirst = (a: QueueRow, b: QueueRow) => a.receivedAt.getTime() - b.receivedAt.getTime() || byId(a, b);

const ORDER: Record<Sort, (a: QueueRow, b: QueueRow) => number> = {
  // The default: emergencies first, then whoever has waited longest.
  waiting: (a, b) => Number(b.isEmergency) - Number(a.isEmergency) || oldestFirst(a, b),
  // Highest checklist score first; no score last.
  score: (a, b) => (b.score ?? -1) - (a.score ?? -1) || oldestFirst(a, b),
  // Most recently received first.
  received: (a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || byId(a, b),
};

/** What this area has transferred away: the coordinators' read-only records. */
export async function transferredOut(trx: Tx, actor: Actor, areaId: string) {
  return trx
    .selectFrom('referral_transfer as t')
    .innerJoin('referral', 'referral.id', 't.referral_id')
    .innerJoin('marac_area as to_area', 'to_area.id', 't.to_area_id')
    .select(['referral.id', 'referral.reference', 't.at', 'to_area.name as toAreaName'])
    .where('t.from_area_id', '=', areaId)
    .where(visibleReferrals(actor))
    .orderBy('t.at', 'desc')
    .limit(50)
    .execute();
}
