import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { hashToken, isWellFormedToken, newToken } from '../../platform/identity/tokens.ts';

/** How long a single-use link works. */
export const LINK_LIFETIME_MS = { invitation: 7 * 24 * 60 * 60_000, password_reset: 60 * 60_000 } as const;
type Purpose = keyof typeof LINK_LIFETIME_MS;

/** Makes a single-use link and returns its token; only the token's hash is stored. Older unused links of the same purpose stop working. */
export async function createLink(trx: Tx, userId: string, purpose: Purpose, createdBy: string | null, now: Date) {
  await trx
    .updateTable('one_time_link')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
  const token = newToken();
  await trx
    .insertInto('one_time_link')
    .values({
      token_hash: hashToken(token),
      purpose,
      user_id: userId,
      created_by: createdBy,
      created_at: now,
      expires_at: new Date(now.getTime() + LINK_LIFETIME_MS[purpose]),
    })
    .execute();
  return token;
}

/** The user a link is for, when the link is unused and unexpired. */
export async function findLink(db: Kysely<Schema> | Tx, token: unknown, purpose: Purpose, now: Date) {
  if (typeof token !== 'string' || !isWellFormedToken(token)) return undefined;
  return db
    .selectFrom('one_time_link as l')
    .innerJoin('app_user as u', 'u.id', 'l.user_id')
    .select(['l.id as linkId', 'u.id as userId', 'u.email', 'u.display_name', 'u.status', 'u.agency_id'])
    .where('l.token_hash', '=', hashToken(token))
    .where('l.purpose', '=', purpose)
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', now)
    .executeTakeFirst();
}

export async function useLink(trx: Tx, linkId: string, now: Date) {
  await trx.updateTable('one_time_link').set({ used_at: now }).where('id', '=', linkId).execute();
}
