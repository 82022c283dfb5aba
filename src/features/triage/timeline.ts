import type { Keyring } from '../../platform/crypto/keyring.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { ReferralEventKind } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';

export type TimelineEntry = {
  kind: ReferralEventKind;
  title: string;
  at: Date;
  by: string | null;
  /** The opened message; null when there is none or the reader may not see it. */
  message: string | null;
  /** True when a message exists but is not shown to this reader. */
  messageWithheld: boolean;
  /** For a transfer: the areas it went between. */
  transfer: { fromArea: string; toArea: string } | null;
};

const TITLES: Record<ReferralEventKind, string> = {
  submitted: 'Referral submitted',
  information_requested: 'More information requested from the referrer',
  resubmitted: 'Resubmitted with more information',
  accepted: 'Accepted for a MARAC meeting',
  rejected: 'Rejected',
  marked_emergency: 'Marked as an emergency',
  transferred: 'Transferred to another MARAC area',
};

/**
 * The referral's history, oldest first: who did what and when, with each decision's message opened from its seal
 * when `openMessages` (the coordinators; an IDVA sees that a message exists). `sentFromAreaId` cuts the history at
 * that area's transfer of the referral: the sending area's record stops there.
 */
export async function timeline(
  trx: Tx,
  keyring: Keyring,
  referral: { id: string; caseId: string },
  options: { openMessages: boolean; sentFromAreaId?: string | null },
): Promise<TimelineEntry[]> {
  let query = trx
    .selectFrom('referral_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.kind', 'e.at', 'e.message', 'u.display_name'])
    .where('e.referral_id', '=', referral.id)
    .orderBy('e.at')
    .orderBy('e.id');
  // Compared in SQL: a JavaScript Date would drop the microseconds PostgreSQL keeps.
  const sentFrom = options.sentFromAreaId;
  if (sentFrom) {
    query = query.where('e.at', '<=', (eb) =>
      eb
        .selectFrom('referral_transfer as t')
        .select((t) => t.fn.max('t.at').as('at'))
        .where('t.referral_id', '=', referral.id)
        .where('t.from_area_id', '=', sentFrom),
    );
  }
  const events = await query.execute();
  const transfers = await trx
    .selectFrom('referral_transfer as t')
    .innerJoin('marac_area as f', 'f.id', 't.from_area_id')
    .innerJoin('marac_area as d', 'd.id', 't.to_area_id')
    .select(['f.name as fromArea', 'd.name as toArea'])
    .where('t.referral_id', '=', referral.id)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();

  return withCaseFields(trx, keyring, referral.caseId, async (fields) => {
    const entries: TimelineEntry[] = [];
    let transferIndex = 0;
    for (const event of events) {
      const show = options.openMessages && event.message !== null;
      entries.push({
        kind: event.kind,
        title: TITLES[event.kind],
        at: event.at,
        by: event.display_name,
        message: show ? await fields.open('referral_event', 'message', event.id, event.message) : null,
        messageWithheld: event.message !== null && !show,
        // Transfer events and transfer rows are written together, in the same order.
        transfer: event.kind === 'transferred' ? (transfers[transferIndex++] ?? null) : null,
      });
    }
    return entries;
  });
}
