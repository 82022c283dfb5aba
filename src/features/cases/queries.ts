import type { Actor } from '../../platform/access/actor.ts';
import { visibleCases } from '../../platform/access/visibility.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import { visibleReferrals } from '../referrals/queries.ts';

/** A case the actor may see (optionally in a given area), or the missing-page 404. */
export async function visibleCase(trx: Tx, actor: Actor, caseId: string, areaId?: string) {
  let query = trx
    .selectFrom('marac_case')
    .innerJoin('marac_area', 'marac_area.id', 'marac_case.area_id')
    .select(['marac_case.id', 'marac_case.area_id', 'marac_area.name as area_name', 'marac_case.created_at'])
    .where('marac_case.id', '=', caseId)
    .where(visibleCases(actor));
  if (areaId !== undefined) query = query.where('marac_case.area_id', '=', areaId);
  const found = await query.executeTakeFirst();
  if (!found) throw notFound();
  return found;
}

/** The case's referrals the actor may see, oldest first: reference, status and dates only. */
export function caseReferrals(trx: Tx, actor: Actor, caseId: string) {
  return trx
    .selectFrom('referral')
    .select(['id', 'area_id', 'reference', 'status', 'submitted_at', 'is_emergency'])
    .where('case_id', '=', caseId)
    .where('status', '<>', 'draft')
    .where(visibleReferrals(actor))
    .orderBy('submitted_at')
    .execute();
}

/** Who is barred from the case, with their names (for the coordinator's exclusions page). */
export function caseExclusions(trx: Tx, caseId: string) {
  return trx
    .selectFrom('case_exclusion as e')
    .innerJoin('app_user as u', 'u.id', 'e.user_id')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['e.user_id', 'u.display_name', 'u.email', 'a.name as agency_name', 'e.reason', 'e.created_at'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.created_at')
    .execute();
}

/**
 * The victim's referral history in the area: every submitted referral, on any case, whose victim is linked to the
 * same identity (linked by a coordinator's decision), that the actor may see. Oldest first.
 */
export function victimHistory(trx: Tx, actor: Actor, victimIdentityId: string) {
  return trx
    .selectFrom('referral')
    .innerJoin('case_person', (join) =>
      join.onRef('case_person.case_id', '=', 'referral.case_id').on('case_person.role', '=', 'victim'),
    )
    .innerJoin('person', 'person.id', 'case_person.person_id')
    .select([
      'referral.id',
      'referral.case_id',
      'referral.area_id',
      'referral.reference',
      'referral.status',
      'referral.submitted_at',
      'referral.is_emergency',
      'referral.repeat_of_referral_id',
    ])
    .where('person.identity_id', '=', victimIdentityId)
    .where('referral.status', '<>', 'draft')
    .where(visibleReferrals(actor))
    .orderBy('referral.submitted_at')
    .execute();
}
