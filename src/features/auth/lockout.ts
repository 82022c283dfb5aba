import type { Tx } from '../../platform/db/transaction.ts';

/** 10 failed attempts (passwords or codes) within 5 minutes lock the account for 15. */
export const LOCKOUT = { failures: 10, windowMs: 5 * 60_000, lockMs: 15 * 60_000 } as const;

export function isLocked(user: { locked_until: Date | null }, now: Date) {
  return user.locked_until !== null && user.locked_until.getTime() > now.getTime();
}

/** Counts a failure; answers true when this failure locks the account. */
export async function recordFailure(trx: Tx, userId: string, now: Date): Promise<boolean> {
  await trx.insertInto('sign_in_failure').values({ user_id: userId, failed_at: now }).execute();
  const { n } = await trx
    .selectFrom('sign_in_failure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('failed_at', '>', new Date(now.getTime() - LOCKOUT.windowMs))
    .executeTakeFirstOrThrow();
  if (Number(n) < LOCKOUT.failures) return false;
  await trx
    .updateTable('app_user')
    .set({ locked_until: new Date(now.getTime() + LOCKOUT.lockMs) })
    .where('id', '=', userId)
    .execute();
  await trx.deleteFrom('sign_in_failure').where('user_id', '=', userId).execute();
  return true;
}

export async function clearFailures(trx: Tx, userId: string) {
  await trx.deleteFrom('sign_in_failure').where('user_id', '=', userId).execute();
}
