import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/http/errors.ts';
import { notifyArea } from '../notifications/notify.ts';
import { checklistFor, joinChecklist, referralDetailsSchema } from './answers.ts';
import { areaRules } from './area-rules.ts';
import { referralAudit, type ReferralContext } from './context.ts';
import { editableReferral } from './drafts.ts';
import { exactPersonMatcher, type PersonMatcher } from './matching.ts';
import { casePeople } from './people.ts';
import { nextReference } from './reference.ts';
import {
  evaluateCriteria,
  RISK_LEVELS,
  type Criterion,
  type CriteriaError,
  type RiskAssessment,
  type RiskLevel,
} from './rules/criteria.ts';
import { findRepeat, type PreviousReferral } from './rules/repeat.ts';
import { validateChecklistAnswers, type ChecklistError } from './rules/scoring.ts';
import type { CriteriaSettings } from './rules/settings.ts';

export type SubmitResult = {
  id: string;
  reference: string;
  criteriaMet: Criterion[];
  score: number | null;
  repeatOfReferralId: string | null;
};

/** The referral cannot be submitted as it stands: field errors, or a message saying why it meets no criterion. */
export class ReferralNotSubmittable extends AppError {
  override name = 'ReferralNotSubmittable';
  readonly errors: readonly (CriteriaError | ChecklistError | { field: string; message: string })[];
  constructor(message: string, errors: ReferralNotSubmittable['errors'] = []) {
    super(422, 'referral_not_submittable', message);
    this.errors = errors;
  }
}

const KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** The version recorded with a police DARA result (the College of Policing's form has one published version). */
export const DARA_VERSION = 'college-of-policing-dara';

/**
 * Submits the referrer's draft: validates the checklist and the criteria with the area's settings, matches the
 * victim and perpetrators to people already on record, applies the repeat rule to previous referrals in the area,
 * and refuses a referral that meets no criterion with the rules' own message. On success it sets the reference
 * number, records a 'submitted' event and an audit row, all in the caller's transaction.
 *
 * Idempotent: the form carries a submission key, and the same key again returns the same referral without a
 * second event. A submitted referral given another key is refused.
 */
export async function submit(
  trx: Tx,
  ctx: ReferralContext,
  referralId: string,
  submissionKey: string,
  settings: CriteriaSettings,
  matcher: PersonMatcher = exactPersonMatcher,
): Promise<SubmitResult> {
  if (!KEY.test(submissionKey)) throw new AppError(400, 'invalid_submission_key', 'The form could not be accepted');
  // Lock the row first, so a second submission waiting here sees the first one's outcome.
  await trx
    .selectFrom('referral')
    .select('id')
    .where('id', '=', referralId)
    .where('referrer_user_id', '=', ctx.actor.userId)
    .forUpdate()
    .execute();
  const done = await alreadySubmitted(trx, ctx, referralId, submissionKey);
  if (done) return done;
  // A draft, or a referral the coordinator returned for more information (resubmitted under its reference).
  const referral = await editableReferral(trx, ctx, referralId);
  const resubmission = referral.status === 'returned';
  const plain = referral.answers;
  const area = await areaRules(trx, referral.area_id);

  // The checklist, the rationale and the other free text, opened from their sealed columns.
  const { checklistNotes, rationale, details } = await withCaseFields(
    trx,
    ctx.keyring,
    referral.case_id,
    async (fields) => ({
      details: referralDetailsSchema.parse(
        JSON.parse((await fields.open('referral', 'details', referral.id, referral.details)) ?? '{}'),
      ),
      checklistNotes: await fields.open('referral', 'checklist_notes', referral.id, referral.checklist_notes),
      rationale: await fields.open(
        'referral',
        'professional_judgement_rationale',
        referral.id,
        referral.professional_judgement_rationale,
      ),
    }),
  );
  if (area.requiresManagerSignOff) {
    const errors: { field: string; message: string }[] = [];
    if (!details.managerName?.trim()) {
      errors.push({ field: 'managerName', message: "Enter your line manager's name: this area requires sign-off" });
    }
    if (typeof plain['managerSignOffDate'] !== 'string') {
      errors.push({ field: 'managerSignOffDate', message: 'Enter the date your line manager signed the referral off' });
    }
    if (errors.length > 0) throw new ReferralNotSubmittable('Your line manager must sign this referral off', errors);
  }

  // Whichever risk assessment the referrer recorded: the checklist (the default when only it was answered), a
  // police DARA result, or another named tool's result.
  let assessment: RiskAssessment | null = null;
  let score: number | null = null;
  const tool = plain['assessmentTool'] ?? (referral.checklist_tool !== null ? 'dash_ric' : null);
  const result = plain['assessmentResult'];
  const graded = typeof result === 'string' && (RISK_LEVELS as readonly string[]).includes(result);
  if (tool === 'dara' || tool === 'other') {
    if (!graded) {
      throw new ReferralNotSubmittable('Correct the answers shown', [
        { field: 'assessmentResult', message: 'Select the result of the risk assessment: high, medium or standard' },
      ]);
    }
    assessment =
      tool === 'dara'
        ? { tool: 'dara', version: DARA_VERSION, result: result as RiskLevel }
        : {
            tool: 'other',
            name: details.otherToolName ?? '',
            version: details.otherToolVersion?.trim() || 'not stated',
            result: result as RiskLevel,
          };
  } else if (tool === 'dash_ric') {
    if (referral.checklist_tool === null || referral.checklist_version === null) {
      throw new ReferralNotSubmittable('Answer every question on the risk checklist');
    }
    const checklist = checklistFor(referral.checklist_tool, referral.checklist_version);
    const answers = joinChecklist(
      referral.checklist_answers ?? {},
      checklistNotes === null ? {} : (JSON.parse(checklistNotes) as Record<string, unknown>),
    );
    const checked = validateChecklistAnswers(answers, checklist);
    if (!checked.ok) throw new ReferralNotSubmittable('Answer every question on the risk checklist', checked.errors);
    score = checked.score;
    assessment = { tool: 'dash_ric', version: checklist.version, score };
  }

  // The people: a victim, and the perpetrators, matched to identities already on record.
  const people = await casePeople(trx, referral.case_id);
  const victim = people.find((p) => p.role === 'victim');
  if (!victim) throw new ReferralNotSubmittable('Add the victim', [{ field: 'victim', message: 'Add the victim' }]);
  const identities = new Map<string, string>();
  for (const person of people.filter((p) => p.role === 'victim' || p.role === 'perpetrator')) {
    const match = await matcher.match(trx, referral.area_id, { ...person, caseId: referral.case_id });
    const identity = match ?? person.id;
    identities.set(person.id, identity);
    if (identity !== person.identityId) {
      await trx.updateTable('person').set({ identity_id: identity }).where('id', '=', person.id).execute();
      // On record as the matcher's decision, for the coordinator to confirm or undo (features/people/links.ts).
      await trx
        .insertInto('person_link')
        .values({
          id: randomUUID(),
          referral_id: referral.id,
          person_id: person.id,
          decision: 'same',
          candidate_person_id: identity,
          previous_identity_id: person.identityId,
          decided_by: null,
        })
        .execute();
    }
  }
  const victimIdentity = identities.get(victim.id)!;
  const perpetratorIdentities = people.filter((p) => p.role === 'perpetrator').map((p) => identities.get(p.id)!);

  // The repeat rule, against previous referrals of this victim in the area.
  const today = await londonDate(trx);
  const { rows: history } = await sql<{ referral_id: string; referred_on: string; perpetrator_identities: string[] }>`
    select referral_id, referred_on, perpetrator_identities
      from marac_referral_history(${referral.area_id}::uuid, ${victimIdentity}::uuid, ${referral.id}::uuid)`.execute(
    trx,
  );
  const previous: PreviousReferral[] = history.map((row) => ({
    id: row.referral_id,
    date: row.referred_on,
    victimId: victimIdentity,
    perpetratorIds: row.perpetrator_identities,
  }));
  const repeat = findRepeat(
    { date: today, victimId: victimIdentity, perpetratorIds: perpetratorIdentities },
    previous,
    settings,
  );

  const evaluation = evaluateCriteria(
    {
      assessment,
      professionalJudgement: {
        applied: plain['professionalJudgement'] === true,
        ...(rationale === null ? {} : { rationale }),
      },
      recentIncidents: typeof plain['recentIncidents'] === 'number' ? plain['recentIncidents'] : 0,
      isRepeat: repeat.repeatOf !== null,
    },
    settings,
  );
  if (!evaluation.ok) throw new ReferralNotSubmittable('Correct the answers shown', evaluation.errors);
  if (!evaluation.eligible) throw new ReferralNotSubmittable(evaluation.message);
  const criteriaMet = evaluation.met.map((m) => m.criterion);

  // A resubmission keeps its reference number and the date it was first referred (the repeat rule's date).
  const reference =
    resubmission && referral.reference !== null
      ? referral.reference
      : await nextReference(trx, area.name, Number(today.slice(0, 4)));
  try {
    await trx
      .updateTable('referral')
      .set({
        status: 'submitted',
        reference,
        ...(resubmission ? {} : { submitted_at: sql<Date>`now()` }),
        submission_key: submissionKey,
        score,
        criteria_met: criteriaMet,
        repeat_of_referral_id: repeat.repeatOf?.id ?? null,
        repeat_definition_version: repeat.definitionVersion,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', referral.id)
      .execute();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError(
        409,
        'submission_key_used',
        'The form could not be accepted. Go back, refresh the page and try again.',
      );
    }
    throw error;
  }
  // The referring agency now has a need to know about the case.
  if (referral.referrer_agency_id !== null) {
    await trx
      .insertInto('case_agency')
      .values({ case_id: referral.case_id, agency_id: referral.referrer_agency_id, reason: 'referrer' })
      .onConflict((c) => c.doNothing())
      .execute();
  }
  await trx
    .insertInto('referral_event')
    .values({
      id: randomUUID(),
      referral_id: referral.id,
      actor_user_id: ctx.actor.userId,
      kind: resubmission ? 'resubmitted' : 'submitted',
      message: null,
    })
    .execute();
  if (resubmission) {
    await recordAudit(trx, referralAudit(ctx, 'referral.resubmitted', referral, 'referrer'));
    // The coordinator who asked triages it again; the IDVA service already has it.
    await notifyArea(trx, referral.area_id, ['coordinator'], 'referral_resubmitted', referral.id);
  } else {
    await recordAudit(trx, referralAudit(ctx, 'referral.submitted', referral, 'referrer'));
    // The area's coordinators triage it; its IDVA service receives every new referral.
    await notifyArea(trx, referral.area_id, ['coordinator', 'idva'], 'referral_submitted', referral.id);
  }
  return { id: referral.id, reference, criteriaMet, score, repeatOfReferralId: repeat.repeatOf?.id ?? null };
}

/** The outcome of an earlier submission with this same key, or null. */
async function alreadySubmitted(
  trx: Tx,
  ctx: ReferralContext,
  referralId: string,
  submissionKey: string,
): Promise<SubmitResult | null> {
  const row = await trx
    .selectFrom('referral')
    .select(['id', 'reference', 'criteria_met', 'score', 'repeat_of_referral_id'])
    .where('id', '=', referralId)
    .where('referrer_user_id', '=', ctx.actor.userId)
    .where('submission_key', '=', submissionKey)
    // A returned referral still holds the key of its first submission, which must not stop it being resubmitted.
    .where('status', 'not in', ['draft', 'returned'])
    .executeTakeFirst();
  if (!row || row.reference === null) return null;
  return {
    id: row.id,
    reference: row.reference,
    criteriaMet: row.criteria_met as Criterion[],
    score: row.score,
    repeatOfReferralId: row.repeat_of_referral_id,
  };
}

/** Today's date in the UK, as the database's clock has it: 'YYYY-MM-DD'. */
async function londonDate(trx: Tx): Promise<string> {
  const { rows } = await sql<{ today: string }>`
    select to_char(now() at time zone 'Europe/London', 'YYYY-MM-DD') as today`.execute(trx);
  return rows[0]!.today;
}
