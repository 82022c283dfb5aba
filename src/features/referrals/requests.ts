import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import type { ReferralContext } from './context.ts';

export type InformationRequest = { id: string; at: Date; message: string | null };

/**
 * The coordinator's requests for more information on a referral the caller can already see, newest first, with
 * their sealed messages opened. Row-level security limits the events to referrals the caller may see.
 */
export async function informationRequests(
  trx: Tx,
  ctx: ReferralContext,
  referral: { id: string; caseId: string },
): Promise<InformationRequest[]> {
  const events = await trx
    .selectFrom('referral_event')
    .select(['id', 'at', 'message'])
    .where('referral_id', '=', referral.id)
    .where('kind', '=', 'information_requested')
    .orderBy('at', 'desc')
    .execute();
  if (events.length === 0) return [];
  return withCaseFields(trx, ctx.keyring, referral.caseId, async (fields) => {
    const opened: InformationRequest[] = [];
    for (const event of events) {
      opened.push({
        id: event.id,
        at: event.at,
        message: await fields.open('referral_event', 'message', event.id, event.message),
      });
    }
    return opened;
  });
}
