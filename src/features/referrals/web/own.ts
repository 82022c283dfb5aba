// The referrer's own referral, for their pages: another user's, another area's or a missing one all answer 404.
import { hasAreaRole } from '../../../platform/access/actor.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import type { Tx } from '../../../platform/db/transaction.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { referralAudit, type ReferralContext } from '../context.ts';
import { openReferral, type ReferralView } from '../queries.ts';

export { pathId } from '../../../platform/http/path.ts';

/** Opens the referrer's own referral and records the read (purpose: their own direct work with the victim). */
export async function ownReferral(trx: Tx, ctx: ReferralContext, referralId: string): Promise<ReferralView> {
  const row = await trx
    .selectFrom('referral')
    .selectAll()
    .where('id', '=', referralId)
    .where('referrer_user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (!row || !hasAreaRole(ctx.actor, row.area_id, 'referrer')) throw notFound();
  const view = await openReferral(trx, ctx, row);
  await recordAudit(trx, referralAudit(ctx, 'referral.viewed', row, 'referrer', 'direct_care'));
  return view;
}

export const isEditable = (view: ReferralView) => view.status === 'draft' || view.status === 'returned';

/** Today's date in the UK, 'YYYY-MM-DD'. */
export function londonToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}
