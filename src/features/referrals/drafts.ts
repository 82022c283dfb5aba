import { randomUUID } from 'node:crypto';
import { hasAreaRole } from '../../platform/access/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { checklistFor, parseAnswers, referralDetailsSchema, SEALED_COLUMNS, splitChecklist } from './answers.ts';
import type { SealedAnswers } from './answers.ts';
import { referralAudit, type ReferralContext } from './context.ts';
import { updateVictimPostcode } from './postcodes.ts';

/**
 * Starts a referral in the area, with its case, so the case's data key can seal fields from the first page.
 * Only a referrer of the area may; anyone else gets the same answer as for a missing page.
 */
export async function createDraft(
  trx: Tx,
  ctx: ReferralContext,
  areaId: string,
): Promise<{ id: string; caseId: string }> {
  if (!hasAreaRole(ctx.actor, areaId, 'referrer')) throw notFound();
  const id = randomUUID();
  const caseId = randomUUID();
  // The referral first: row-level security lets a referrer create a case only through their own referral.
  await trx
    .insertInto('referral')
    .values({
      id,
      area_id: areaId,
      case_id: caseId,
      referrer_user_id: ctx.actor.userId,
      referrer_agency_id: ctx.actor.agencyId,
    })
    .execute();
  await trx.insertInto('marac_case').values({ id: caseId, area_id: areaId }).execute();
  await recordAudit(trx, referralAudit(ctx, 'referral.created', { id, case_id: caseId }, 'referrer'));
  return { id, caseId };
}

/** The referrer's own referral while they may still change it (a draft, or returned for more information). */
export async function editableReferral(trx: Tx, ctx: ReferralContext, referralId: string) {
  const referral = await trx
    .selectFrom('referral')
    .selectAll()
    .where('id', '=', referralId)
    .where('referrer_user_id', '=', ctx.actor.userId)
    .forUpdate()
    .executeTakeFirst();
  if (!referral || !hasAreaRole(ctx.actor, referral.area_id, 'referrer')) throw notFound();
  if (referral.status !== 'draft' && referral.status !== 'returned') {
    throw new AppError(409, 'referral_not_editable', 'This referral has been submitted and can no longer be changed');
  }
  return referral;
}

/**
 * Saves a page of answers (untrusted input, any shape; unknown fields are refused). Free text and anything that
 * could locate or reach the victim is sealed under the case's data key, bound to this referral's row and column;
 * the rest (codes, yes/no, counts) is merged into the `answers` jsonb. A field given as null is cleared.
 */
export async function saveAnswers(trx: Tx, ctx: ReferralContext, referralId: string, input: unknown): Promise<void> {
  const answers = parseAnswers(input);
  const referral = await editableReferral(trx, ctx, referralId);
  const { isEmergency, checklist, details, ...rest } = answers;

  const plain: Record<string, unknown> = { ...referral.answers };
  const sealedInput: SealedAnswers = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (Object.hasOwn(SEALED_COLUMNS, key)) (sealedInput as Record<string, unknown>)[key] = value;
    else if (value === null) delete plain[key];
    else plain[key] = value;
  }

  const update: Record<string, string | boolean | null> = {};
  await withCaseFields(trx, ctx.keyring, referral.case_id, async (fields) => {
    if (details !== undefined) {
      // Merged with what is stored: each page sends only its own fields. Empty text and null remove a field.
      const stored = await fields.open('referral', 'details', referral.id, referral.details);
      const merged: Record<string, unknown> = stored === null ? {} : (JSON.parse(stored) as Record<string, unknown>);
      for (const [key, value] of Object.entries(details)) {
        if (value === null || value.trim() === '') delete merged[key];
        else merged[key] = value;
      }
      const checked = referralDetailsSchema.safeParse(merged);
      if (!checked.success) {
        throw new AppError(400, 'invalid_answers', 'The answers could not be understood. Go back and try again.');
      }
      const empty = Object.keys(checked.data).length === 0;
      update['details'] = await fields.seal(
        'referral',
        'details',
        referral.id,
        empty ? null : JSON.stringify(checked.data),
      );
    }
    for (const [key, column] of Object.entries(SEALED_COLUMNS)) {
      const value = sealedInput[key as keyof SealedAnswers];
      if (value === undefined) continue;
      const textValue = value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
      update[column] = await fields.seal('referral', column, referral.id, textValue);
    }
    if (checklist === null) {
      Object.assign(update, {
        checklist_tool: null,
        checklist_version: null,
        checklist_answers: null,
        checklist_notes: null,
      });
    } else if (checklist !== undefined) {
      const split = splitChecklist(checklistFor(checklist.tool, checklist.version), checklist.answers);
      const notes = Object.keys(split.notes).length > 0 ? JSON.stringify(split.notes) : null;
      Object.assign(update, {
        checklist_tool: checklist.tool,
        checklist_version: checklist.version,
        checklist_answers: JSON.stringify(split.plain),
        checklist_notes: await fields.seal('referral', 'checklist_notes', referral.id, notes),
      });
    }
  });

  await trx
    .updateTable('referral')
    .set({
      ...update,
      answers: JSON.stringify(plain),
      ...(isEmergency === undefined ? {} : { is_emergency: isEmergency }),
      updated_at: new Date(),
    })
    .where('id', '=', referral.id)
    .execute();
  if (sealedInput.victimAddress !== undefined || rest.inRefuge !== undefined) {
    // The victim's person row keeps her postcode key in step with her address (and clears it in a refuge).
    await updateVictimPostcode(trx, ctx, {
      ...referral,
      victim_address: Object.hasOwn(update, 'victim_address')
        ? (update['victim_address'] as string | null)
        : referral.victim_address,
      answers: plain,
    });
  }
  await recordAudit(trx, referralAudit(ctx, 'referral.updated', referral, 'referrer'));
}
