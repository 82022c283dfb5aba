// Raising and reading in-app notifications. A notification holds a kind and a referral id only; the words are
// made when it is shown (see labels below), so nothing personal is stored or could leak into an email later.
import { sql } from 'kysely';
import type { AreaRole } from '../../platform/access/actor.ts';
import type { NotificationKind } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';

/**
 * Notifies the area's active holders of these roles about a referral, except the acting user and anyone barred
 * from its case. Runs in the caller's transaction (marac_notify_area checks the actor may raise it).
 */
export async function notifyArea(
  trx: Tx,
  areaId: string,
  roles: readonly AreaRole[],
  kind: NotificationKind,
  referralId: string,
): Promise<number> {
  const { rows } = await sql<{ sent: number }>`
    select marac_notify_area(${areaId}::uuid, ${[...roles]}::text[], ${kind}, ${referralId}::uuid) as sent`.execute(
    trx,
  );
  return rows[0]?.sent ?? 0;
}

/** Tells a referral's referrer about a coordinator's decision. */
export async function notifyReferrer(trx: Tx, referralId: string, kind: NotificationKind): Promise<number> {
  const { rows } = await sql<{ sent: number }>`
    select marac_notify_referrer(${referralId}::uuid, ${kind}) as sent`.execute(trx);
  return rows[0]?.sent ?? 0;
}

/** What each kind says, with the referral's reference number (never a name). */
export const NOTIFICATION_TEXT: Record<NotificationKind, (reference: string) => string> = {
  referral_submitted: (ref) => `New referral ${ref} is waiting for triage`,
  referral_resubmitted: (ref) => `Referral ${ref} has been resubmitted with more information`,
  information_requested: (ref) => `The coordinator has asked for more information about referral ${ref}`,
  referral_accepted: (ref) => `Referral ${ref} has been accepted for the MARAC`,
  referral_rejected: (ref) => `Referral ${ref} has not been accepted`,
  referral_transferred_in: (ref) => `Referral ${ref} has been transferred to your area`,
};

/** Kinds addressed to the referrer (linking to their own referral); the rest go to the area's staff. */
const FOR_REFERRER: readonly NotificationKind[] = ['information_requested', 'referral_accepted', 'referral_rejected'];

export type NotificationView = { id: string; text: string; href: string; createdAt: Date; unread: boolean };

/** The user's notifications, newest first (row-level security keeps them to their own). */
export async function listNotifications(trx: Tx, limit = 50): Promise<NotificationView[]> {
  const rows = await trx
    .selectFrom('notification as n')
    .leftJoin('referral as r', 'r.id', 'n.referral_id')
    .select(['n.id', 'n.kind', 'n.area_id', 'n.referral_id', 'n.created_at', 'n.read_at', 'r.reference'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    text: NOTIFICATION_TEXT[row.kind](row.reference ?? 'without a reference'),
    href: FOR_REFERRER.includes(row.kind)
      ? `/referrals/${row.referral_id}`
      : `/areas/${row.area_id}/referrals/${row.referral_id}`,
    createdAt: row.created_at,
    unread: row.read_at === null,
  }));
}

export async function unreadCount(trx: Tx): Promise<number> {
  const row = await trx
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function markAllRead(trx: Tx, now: Date): Promise<number> {
  const result = await trx
    .updateTable('notification')
    .set({ read_at: now })
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
