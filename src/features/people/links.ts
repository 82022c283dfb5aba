// A coordinator's decisions on who the people on a referral are: "same person" as someone already on record,
// "not the same", or "new person". Only "same" changes anything — it points the person (and whoever shared their
// identity) at the candidate's identity — and every decision can be undone, which restores the identities it
// changed. The repeat rule is then re-run for every referral in the area naming an identity that moved.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { hasAreaRole } from '../../platform/access/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';
import type { PersonLinkDecision } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { ReferralContext } from '../referrals/context.ts';
import { visibleReferrals } from '../referrals/queries.ts';
import { CRITERIA, type Criterion } from '../referrals/rules/criteria.ts';
import { findRepeat, REPEAT_DEFINITION_VERSION } from '../referrals/rules/repeat.ts';
import type { CriteriaSettings } from '../referrals/rules/settings.ts';

const AUDIT: Record<PersonLinkDecision, AuditAction> = {
  same: 'person.match_confirmed',
  not_same: 'person.match_rejected',
  new: 'person.marked_new',
};

/** The referral, for one of its area's coordinators; anyone else gets the missing-page 404. */
async function referralForCoordinator(trx: Tx, ctx: ReferralContext, referralId: string) {
  const referral = await trx
    .selectFrom('referral')
    .select(['id', 'area_id', 'case_id', 'status', 'submitted_at'])
    .where('id', '=', referralId)
    .where('status', '<>', 'draft')
    .where(visibleReferrals(ctx.actor))
    .forUpdate()
    .executeTakeFirst();
  if (!referral || !hasAreaRole(ctx.actor, referral.area_id, 'coordinator')) throw notFound();
  return referral;
}

/** A person named by the referral's case. */
async function personOnCase(trx: Tx, caseId: string, personId: string) {
  const person = await trx
    .selectFrom('person')
    .innerJoin('case_person', 'case_person.person_id', 'person.id')
    .select(['person.id', 'person.identity_id', 'person.area_id'])
    .where('case_person.case_id', '=', caseId)
    .where('person.id', '=', personId)
    .executeTakeFirst();
  if (!person) throw notFound();
  return person;
}

export type LinkInput = {
  referralId: string;
  personId: string;
  decision: PersonLinkDecision;
  candidatePersonId?: string;
};

/** Records a decision, links the person when it is "same", re-runs the repeat rule, and audits it. */
export async function decideLink(
  trx: Tx,
  ctx: ReferralContext,
  input: LinkInput,
  settings: CriteriaSettings,
): Promise<{ linkId: string }> {
  const referral = await referralForCoordinator(trx, ctx, input.referralId);
  const person = await personOnCase(trx, referral.case_id, input.personId);
  let candidate: { id: string; identity_id: string } | null = null;
  if (input.decision !== 'new') {
    if (!input.candidatePersonId) throw new AppError(400, 'candidate_required', 'Select the person to compare with');
    candidate =
      (await trx
        .selectFrom('person')
        .select(['id', 'identity_id'])
        .where('id', '=', input.candidatePersonId)
        .where('area_id', '=', referral.area_id)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('case_person')
                .select(sql`1`.as('one'))
                .whereRef('case_person.person_id', '=', 'person.id')
                .where('case_person.case_id', '=', referral.case_id),
            ),
          ),
        )
        .executeTakeFirst()) ?? null;
    if (!candidate) throw notFound();
  }
  const standing = await trx
    .selectFrom('person_link')
    .select(['decision', 'candidate_person_id'])
    .where('person_id', '=', person.id)
    .where('undone_at', 'is', null)
    .execute();
  if (input.decision === 'same' && standing.some((s) => s.decision === 'same')) {
    throw new AppError(409, 'already_linked', 'This person is already linked. Undo that link first.');
  }
  if (standing.some((s) => s.decision === input.decision && s.candidate_person_id === (candidate?.id ?? null))) {
    throw new AppError(409, 'already_decided', 'This decision has already been recorded');
  }

  const previousIdentity = person.identity_id;
  let moved: string[] = [];
  if (input.decision === 'same' && candidate && candidate.identity_id !== previousIdentity) {
    // Everyone sharing the person's identity moves with them, so earlier links through this person still hold.
    const rows = await trx
      .updateTable('person')
      .set({ identity_id: candidate.identity_id })
      .where('area_id', '=', referral.area_id)
      .where('identity_id', '=', previousIdentity)
      .returning('id')
      .execute();
    moved = rows.map((r) => r.id).filter((id) => id !== person.id);
  }
  const linkId = randomUUID();
  await trx
    .insertInto('person_link')
    .values({
      id: linkId,
      referral_id: referral.id,
      person_id: person.id,
      decision: input.decision,
      candidate_person_id: candidate?.id ?? null,
      previous_identity_id: previousIdentity,
      moved_person_ids: sql<string[]>`${moved}::uuid[]`,
      decided_by: ctx.actor.userId,
    })
    .execute();
  await recordAudit(trx, linkAudit(ctx, AUDIT[input.decision], person.id, referral.case_id));
  if (input.decision === 'same' && candidate) {
    await recomputeRepeats(trx, referral.area_id, [previousIdentity, candidate.identity_id], settings);
  }
  return { linkId };
}

/** Undoes a standing decision; a "same" link gives the person (and those who moved with them) their identity back. */
export async function undoLink(
  trx: Tx,
  ctx: ReferralContext,
  referralId: string,
  linkId: string,
  settings: CriteriaSettings,
): Promise<void> {
  const referral = await referralForCoordinator(trx, ctx, referralId);
  const link = await trx
    .selectFrom('person_link')
    .select(['id', 'person_id', 'decision', 'previous_identity_id', 'moved_person_ids', 'undone_at'])
    .where('id', '=', linkId)
    .where('referral_id', '=', referral.id)
    .forUpdate()
    .executeTakeFirst();
  if (!link) throw notFound();
  if (link.undone_at !== null) throw new AppError(409, 'already_undone', 'This decision has already been undone');
  const person = await personOnCase(trx, referral.case_id, link.person_id);
  if (link.decision === 'same') {
    await trx
      .updateTable('person')
      .set({ identity_id: link.previous_identity_id })
      .where('id', 'in', [link.person_id, ...link.moved_person_ids])
      .execute();
  }
  await trx
    .updateTable('person_link')
    .set({ undone_at: sql<Date>`now()`, undone_by: ctx.actor.userId })
    .where('id', '=', link.id)
    .execute();
  await recordAudit(trx, linkAudit(ctx, 'person.match_undone', link.person_id, referral.case_id));
  if (link.decision === 'same') {
    await recomputeRepeats(trx, referral.area_id, [link.previous_identity_id, person.identity_id], settings);
  }
}

function linkAudit(ctx: ReferralContext, action: AuditAction, personId: string, caseId: string) {
  return {
    actorUserId: ctx.actor.userId,
    actorAgencyId: ctx.actor.agencyId,
    actorRole: 'coordinator',
    action,
    subjectType: 'person',
    subjectId: personId,
    caseId,
    purpose: 'triage' as const,
    outcome: 'success' as const,
    requestId: ctx.requestId,
  };
}

/**
 * Re-runs the repeat rule for every submitted referral in the area that names one of these identities as victim or
 * perpetrator, oldest first, so each sees the links as they now stand.
 */
export async function recomputeRepeats(
  trx: Tx,
  areaId: string,
  identities: readonly string[],
  settings: CriteriaSettings,
): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    select distinct r.id, r.submitted_at
      from referral r
      join case_person cp on cp.case_id = r.case_id and cp.role in ('victim', 'perpetrator')
      join person p on p.id = cp.person_id
     where r.area_id = ${areaId}::uuid
       and r.status not in ('draft', 'rejected')
       and p.identity_id = any (${[...identities]}::uuid[])
     order by r.submitted_at, r.id`.execute(trx);
  for (const row of rows) await recomputeRepeat(trx, row.id, settings);
}

// 'YYYY-MM-DD' in UK time: the calendar date a referral was made, as submission records it.
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** Re-runs the repeat rule for one submitted referral and updates its repeat link and criteria. */
export async function recomputeRepeat(trx: Tx, referralId: string, settings: CriteriaSettings): Promise<void> {
  const referral = await trx
    .selectFrom('referral')
    .select(['id', 'area_id', 'case_id', 'submitted_at', 'criteria_met', 'repeat_of_referral_id'])
    .where('id', '=', referralId)
    .executeTakeFirstOrThrow();
  if (referral.submitted_at === null) return;
  const people = await trx
    .selectFrom('case_person')
    .innerJoin('person', 'person.id', 'case_person.person_id')
    .select(['case_person.role', 'person.identity_id'])
    .where('case_person.case_id', '=', referral.case_id)
    .where('case_person.role', 'in', ['victim', 'perpetrator'])
    .execute();
  const victim = people.find((p) => p.role === 'victim');
  let repeatOf: string | null = null;
  if (victim) {
    const { rows } = await sql<{
      referral_id: string;
      referred_on: string;
      submitted_at: Date;
      perpetrator_identities: string[];
    }>`select referral_id, referred_on, submitted_at, perpetrator_identities
         from marac_referral_history_at(${referral.area_id}::uuid, ${victim.identity_id}::uuid, ${referral.id}::uuid)`.execute(
      trx,
    );
    const submittedAt = referral.submitted_at.getTime();
    const finding = findRepeat(
      {
        date: LONDON_DATE.format(referral.submitted_at),
        victimId: victim.identity_id,
        perpetratorIds: people.filter((p) => p.role === 'perpetrator').map((p) => p.identity_id),
      },
      // Only referrals made before this one can be the one it repeats.
      rows
        .filter((r) => new Date(r.submitted_at).getTime() < submittedAt)
        .map((r) => ({
          id: r.referral_id,
          date: r.referred_on,
          victimId: victim.identity_id,
          perpetratorIds: r.perpetrator_identities,
        })),
      settings,
    );
    repeatOf = finding.repeatOf?.id ?? null;
  }
  const criteria = new Set(referral.criteria_met as Criterion[]);
  if (repeatOf) criteria.add('repeat');
  else criteria.delete('repeat');
  await trx
    .updateTable('referral')
    .set({
      repeat_of_referral_id: repeatOf,
      repeat_definition_version: REPEAT_DEFINITION_VERSION,
      criteria_met: CRITERIA.filter((c) => criteria.has(c)),
    })
    .where('id', '=', referral.id)
    .execute();
}

/** How many victims this perpetrator identity has been referred for in the area (2 or more: serial). */
export async function perpetratorVictimCount(trx: Tx, areaId: string, identityId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select marac_perpetrator_victims(${areaId}::uuid, ${identityId}::uuid) as n`.execute(trx);
  return rows[0]?.n ?? 0;
}

/** Other areas' referrals for someone with this person's names and date of birth: area and date only. */
export async function knownElsewhere(trx: Tx, personId: string): Promise<{ areaName: string; referredOn: string }[]> {
  const { rows } = await sql<{ area_name: string; referred_on: string }>`
    select area_name, referred_on from marac_known_elsewhere(${personId}::uuid)`.execute(trx);
  return rows.map((r) => ({ areaName: r.area_name, referredOn: r.referred_on }));
}
