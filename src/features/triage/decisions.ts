import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { ReferralStatus } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { notifyArea, notifyReferrer } from '../notifications/notify.ts';
import { referralAudit, type ReferralContext } from '../referrals/context.ts';
import { visibleReferrals } from '../referrals/queries.ts';
import { refusal, TRANSITIONS, type Decision } from './transitions.ts';

/** The decision is not open from the referral's current state (see TRANSITIONS). Nothing has been written. */
export class DecisionNotAllowed extends AppError {
  override name = 'DecisionNotAllowed';
  constructor(message: string) {
    super(409, 'decision_not_allowed', message);
  }
}

type Locked = { id: string; case_id: string; area_id: string; status: ReferralStatus; is_emergency: boolean };

/**
 * Locks the referral for a decision by a coordinator of `areaId`. A referral the actor may not see, or one that is
 * not (or no longer) in this area, answers 404 like a missing page. The lock makes a second, double-clicked post
 * wait for the first and then see its outcome, so it is refused instead of writing a second event.
 */
export async function lockForDecision(
  trx: Tx,
  ctx: ReferralContext,
  areaId: string,
  referralId: string,
  decision: Decision,
): Promise<Locked> {
  // FOR UPDATE also applies the UPDATE policies: the sending area's read-only grant does not reach here.
  const row = await trx
    .selectFrom('referral')
    .select(['id', 'case_id', 'area_id', 'status', 'is_emergency'])
    .where('id', '=', referralId)
    .where('area_id', '=', areaId)
    .where('status', '<>', 'draft')
    .where(visibleReferrals(ctx.actor))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound();
  const why = refusal(decision, { status: row.status, isEmergency: row.is_emergency });
  if (why) throw new DecisionNotAllowed(why);
  return row;
}

/** Inserts the decision's event, with its message sealed under the case's key (the shared convention). */
async function recordEvent(trx: Tx, ctx: ReferralContext, referral: Locked, decision: Decision, text: string | null) {
  const id = randomUUID();
  const message =
    text === null
      ? null
      : await withCaseFields(trx, ctx.keyring, referral.case_id, (fields) =>
          fields.seal('referral_event', 'message', id, text),
        );
  await trx
    .insertInto('referral_event')
    .values({
      id,
      referral_id: referral.id,
      actor_user_id: ctx.actor.userId,
      kind: TRANSITIONS[decision].event,
      message,
    })
    .execute();
  return id;
}

/**
 * Accept, request information, reject or mark as emergency, in the caller's transaction: checks the transition,
 * records the event (message sealed), changes the referral, tells the referrer and writes the audit row last.
 */
export async function decide(
  trx: Tx,
  ctx: ReferralContext,
  areaId: string,
  referralId: string,
  decision: Exclude<Decision, 'transfer'>,
  text: string | null,
): Promise<void> {
  const referral = await lockForDecision(trx, ctx, areaId, referralId, decision);
  const transition = TRANSITIONS[decision];
  await recordEvent(trx, ctx, referral, decision, text);
  await trx
    .updateTable('referral')
    .set({
      ...(transition.to === null ? {} : { status: transition.to }),
      ...(decision === 'emergency' ? { is_emergency: true } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', referral.id)
    .execute();
  if (transition.notifyReferrer) await notifyReferrer(trx, referral.id, transition.notifyReferrer);
  await recordAudit(trx, referralAudit(ctx, transition.audit, referral, 'coordinator'));
}

/**
 * MARAC-to-MARAC transfer. The event and the receiving area's notification are written while the referral is still
 * ours (marac_notify_area lets only a coordinator of its current area raise one); then marac_transfer_referral()
 * moves the referral, its case and people, and records the transfer. The sender keeps a read-only record.
 */
export async function transfer(
  trx: Tx,
  ctx: ReferralContext,
  areaId: string,
  referralId: string,
  toAreaId: string,
  reason: string,
): Promise<void> {
  const referral = await lockForDecision(trx, ctx, areaId, referralId, 'transfer');
  if (!(await otherAreas(trx, areaId)).some((area) => area.id === toAreaId)) {
    throw new DecisionNotAllowed('Choose one of the other MARAC areas listed.');
  }
  await recordEvent(trx, ctx, referral, 'transfer', reason);
  await notifyArea(trx, toAreaId, ['coordinator', 'idva'], 'referral_transferred_in', referral.id);
  await sql`select marac_transfer_referral(${referral.id}::uuid, ${toAreaId}::uuid)`.execute(trx);
  await recordAudit(trx, referralAudit(ctx, 'referral.transferred', referral, 'coordinator'));
}

/** The areas a referral can be transferred to: every other MARAC area, by name. */
export async function otherAreas(trx: Tx, areaId: string) {
  return trx.selectFrom('marac_area').select(['id', 'name']).where('id', '<>', areaId).orderBy('name').execute();
}
