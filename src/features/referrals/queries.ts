import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Actor, AreaRole } from '../../platform/access/actor.ts';
import { areasWhere, hasAreaRole } from '../../platform/access/actor.ts';
import { visibleCases } from '../../platform/access/visibility.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { AuditPurpose } from '../../platform/audit/actions.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { ReferralStatus, ReferralTable, Schema } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import {
  joinChecklist,
  plainAnswersSchema,
  referralDetailsSchema,
  safeContactSchema,
  type ReferralDetails,
  type PlainAnswers,
  type SafeContact,
} from './answers.ts';
import { referralAudit, type ReferralContext } from './context.ts';
import { casePeople, openPeopleDetails, type ReferralPerson } from './people.ts';
import type { PersonDetails } from './person-details.ts';
import type { ChecklistAnswers } from './rules/checklist.ts';

/**
 * "The referrals this actor may see", as one SQL predicate over `referral` (row-level security repeats it in
 * migrations/0007_referrals.sql): the referrer always; once submitted, whoever can see its case, and the area's
 * IDVAs (who receive every referral) unless barred from the case; and, read-only, the coordinators of an area that
 * transferred it away.
 */
export function visibleReferrals(actor: Actor | null) {
  return (eb: ExpressionBuilder<Schema, 'referral'>): Expression<SqlBool> => {
    if (!actor) return sql<boolean>`false`;
    const submitted: Expression<SqlBool>[] = [
      eb.exists(
        eb
          .selectFrom('marac_case')
          .select(sql`1`.as('one'))
          .whereRef('marac_case.id', '=', 'referral.case_id')
          .where((cases) => visibleCases(actor)(cases as unknown as ExpressionBuilder<Schema, 'marac_case'>)),
      ),
    ];
    const idvaAreas = areasWhere(actor, 'idva');
    if (idvaAreas.length) {
      submitted.push(
        eb.and([
          eb('referral.area_id', 'in', idvaAreas),
          eb.not(
            eb.exists(
              eb
                .selectFrom('case_exclusion')
                .select(sql`1`.as('one'))
                .whereRef('case_exclusion.case_id', '=', 'referral.case_id')
                .where('case_exclusion.user_id', '=', actor.userId),
            ),
          ),
        ]),
      );
    }
    // A coordinator keeps a read-only record of what their area transferred away (migrations/0010_triage.sql).
    const coordinatorAreas = areasWhere(actor, 'coordinator');
    if (coordinatorAreas.length) {
      submitted.push(
        eb.and([
          eb.exists(
            eb
              .selectFrom('referral_transfer')
              .select(sql`1`.as('one'))
              .whereRef('referral_transfer.referral_id', '=', 'referral.id')
              .where('referral_transfer.from_area_id', 'in', coordinatorAreas),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('case_exclusion')
                .select(sql`1`.as('one'))
                .whereRef('case_exclusion.case_id', '=', 'referral.case_id')
                .where('case_exclusion.user_id', '=', actor.userId),
            ),
          ),
        ]),
      );
    }
    return eb.or([
      eb('referral.referrer_user_id', '=', actor.userId),
      eb.and([eb('referral.status', '<>', 'draft'), eb.or(submitted)]),
    ]);
  };
}

/** The value shown in place of a field the reader may not see. */
export const REDACTED = { redacted: true } as const;

export type ReferralView = {
  id: string;
  caseId: string;
  areaId: string;
  status: ReferralStatus;
  reference: string | null;
  submittedAt: Date | null;
  isEmergency: boolean;
  referrerUserId: string;
  referrerAgencyId: string | null;
  answers: PlainAnswers;
  victimAddress: string | null;
  victimLocation: string | null;
  /** Only for the area's coordinators and IDVAs and the referrer; redacted for everyone else. */
  safeContact: SafeContact | null | typeof REDACTED;
  narrative: string | null;
  professionalJudgementRationale: string | null;
  checklist: { tool: string; version: string; answers: ChecklistAnswers } | null;
  score: number | null;
  criteriaMet: string[];
  /** The previous referral this one repeats; not shown to someone who sees it only as its referrer. */
  repeat: { ofReferralId: string | null; definitionVersion: string } | null | typeof REDACTED;
  people: ReferralPerson[];
  /** The referral's other free text (sealed in `referral.details`). */
  details: ReferralDetails;
  /** Each person's sealed details, by person id. */
  personDetails: Record<string, PersonDetails>;
  updatedAt: Date;
  createdAt: Date;
};

// The role a read is recorded under: the strongest the reader holds in the referral's area.
const READ_ROLES: AreaRole[] = ['coordinator', 'idva', 'chair', 'agency_representative'];

/**
 * Reads one referral for someone allowed to see it, opening its sealed fields, and records the read (with the
 * reader's declared purpose) in the same transaction. A referral the reader may not see answers like a missing one.
 * Safe contact details are opened only for the area's coordinators and IDVAs and the referrer.
 */
export async function readReferral(
  trx: Tx,
  ctx: ReferralContext,
  referralId: string,
  purpose: AuditPurpose,
): Promise<ReferralView> {
  const { actor } = ctx;
  const row = await trx
    .selectFrom('referral')
    .selectAll()
    .where('id', '=', referralId)
    .where(visibleReferrals(actor))
    .executeTakeFirst();
  if (!row) throw notFound();
  const caseRole = READ_ROLES.find((role) => hasAreaRole(actor, row.area_id, role)) ?? null;
  const isReferrer = row.referrer_user_id === actor.userId;
  const view = await openReferral(trx, ctx, row);
  // No area role here and not the referrer: a sending area's coordinator reading their record of a transfer.
  await recordAudit(
    trx,
    referralAudit(ctx, 'referral.viewed', row, caseRole ?? (isReferrer ? 'referrer' : null), purpose),
  );
  return view;
}

/**
 * A referral row the caller has already been allowed to read, with its sealed fields opened (safe contact details
 * only for the referrer and the area's coordinators and IDVAs). Records nothing: the caller audits the read.
 */
export async function openReferral(
  trx: Tx,
  ctx: ReferralContext,
  row: Selectable<ReferralTable>,
): Promise<ReferralView> {
  const { actor } = ctx;
  const isReferrer = row.referrer_user_id === actor.userId;
  const seesSafeContact = isReferrer || hasAreaRole(actor, row.area_id, 'coordinator', 'idva');
  const caseRole = READ_ROLES.find((role) => hasAreaRole(actor, row.area_id, role)) ?? null;

  const opened = await withCaseFields(trx, ctx.keyring, row.case_id, async (fields) => {
    const open = (column: string, value: string | null) => fields.open('referral', column, row.id, value);
    return {
      victimAddress: await open('victim_address', row.victim_address),
      victimLocation: await open('victim_location', row.victim_location),
      narrative: await open('narrative', row.narrative),
      rationale: await open('professional_judgement_rationale', row.professional_judgement_rationale),
      checklistNotes: await open('checklist_notes', row.checklist_notes),
      details: await open('details', row.details),
      // Not even opened for a reader who may not see it.
      safeContact: seesSafeContact ? await open('safe_contact', row.safe_contact) : null,
    };
  });

  const people = (await casePeople(trx, row.case_id)).map(({ identityId: _identity, ...person }) => person);
  const personDetails = await openPeopleDetails(trx, ctx, row.case_id);

  return {
    id: row.id,
    caseId: row.case_id,
    areaId: row.area_id,
    status: row.status,
    reference: row.reference,
    submittedAt: row.submitted_at,
    isEmergency: row.is_emergency,
    referrerUserId: row.referrer_user_id,
    referrerAgencyId: row.referrer_agency_id,
    answers: plainAnswersSchema.parse(row.answers),
    victimAddress: opened.victimAddress,
    victimLocation: opened.victimLocation,
    safeContact: !seesSafeContact
      ? REDACTED
      : opened.safeContact === null
        ? null
        : safeContactSchema.parse(JSON.parse(opened.safeContact)),
    narrative: opened.narrative,
    professionalJudgementRationale: opened.rationale,
    checklist:
      row.checklist_tool !== null && row.checklist_version !== null
        ? {
            tool: row.checklist_tool,
            version: row.checklist_version,
            answers: joinChecklist(
              row.checklist_answers ?? {},
              opened.checklistNotes === null ? {} : (JSON.parse(opened.checklistNotes) as Record<string, unknown>),
            ),
          }
        : null,
    score: row.score,
    criteriaMet: row.criteria_met,
    repeat:
      caseRole === null
        ? REDACTED
        : row.repeat_definition_version === null
          ? null
          : { ofReferralId: row.repeat_of_referral_id, definitionVersion: row.repeat_definition_version },
    people,
    details: opened.details === null ? {} : referralDetailsSchema.parse(JSON.parse(opened.details)),
    personDetails,
    updatedAt: row.updated_at,
    createdAt: row.created_at,
  };
}
