import type { AreaRole } from '../../platform/access/actor.ts';
import type { AgencyKind } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { endUserSessions } from '../../platform/session/sessions.ts';
import type { InviteAnswers } from './schemas.ts';

/**
 * The changes the administration pages make, each inside the caller's
 * transaction so the audit row commits with it. Each returns what happened
 * (an id, or whether anything changed) and never throws for a clash the
 * user can fix: the routes turn those into field errors.
 */

/** The new area's id, or undefined when the name is taken. */
export async function createArea(trx: Tx, name: string) {
  const row = await trx
    .insertInto('marac_area')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function renameArea(trx: Tx, areaId: string, name: string) {
  const result = await trx.updateTable('marac_area').set({ name }).where('id', '=', areaId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** True when the agency joined; false when it already takes part. */
export async function addAreaAgency(trx: Tx, areaId: string, agencyId: string) {
  const row = await trx
    .insertInto('area_agency')
    .values({ area_id: areaId, agency_id: agencyId })
    .onConflict((oc) => oc.columns(['area_id', 'agency_id']).doNothing())
    .returning('area_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function removeAreaAgency(trx: Tx, areaId: string, agencyId: string) {
  const result = await trx
    .deleteFrom('area_agency')
    .where('area_id', '=', areaId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** The new agency's id, or undefined when the name is taken. */
export async function createAgency(trx: Tx, agency: { name: string; kind: AgencyKind }) {
  const row = await trx
    .insertInto('agency')
    .values(agency)
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function updateAgency(trx: Tx, agencyId: string, agency: { name: string; kind: AgencyKind }) {
  const result = await trx.updateTable('agency').set(agency).where('id', '=', agencyId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The invited user's id, or undefined when the email address already has an account. */
export async function createInvitedUser(trx: Tx, answers: InviteAnswers) {
  const row = await trx
    .insertInto('app_user')
    .values({
      email: answers.email,
      display_name: answers.displayName,
      agency_id: answers.agencyId,
      global_role: answers.globalRole,
      status: 'invited',
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Disables an account: it can no longer sign in, every session ends now, and
 * any unused invitation or password-reset link stops working (so enabling the
 * account later does not bring an old link back to life). False when it was
 * already disabled.
 */
export async function disableUser(trx: Tx, userId: string, now: Date) {
  const row = await trx
    .updateTable('app_user')
    .set({ status: 'disabled' })
    .where('id', '=', userId)
    .where('status', '!=', 'disabled')
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await endUserSessions(trx, userId, 'disabled', now);
  await trx
    .updateTable('one_time_link')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  return true;
}

/**
 * Enables a disabled account: active again if they had set a password, or
 * back to invited if they never accepted their invitation. The new status, or
 * null when the account was not disabled.
 */
export async function enableUser(trx: Tx, userId: string) {
  const user = await trx
    .selectFrom('app_user')
    .select(['status', 'password_hash'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (user?.status !== 'disabled') return null;
  const status = user.password_hash ? ('active' as const) : ('invited' as const);
  await trx.updateTable('app_user').set({ status }).where('id', '=', userId).execute();
  return status;
}

/** Is the user still waiting to accept an invitation? Locks the row until the transaction ends. */
export async function isInvited(trx: Tx, userId: string) {
  const user = await trx
    .selectFrom('app_user')
    .select('status')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  return user?.status === 'invited';
}

/** True when the role was added; false when they already held it. */
export async function addMembership(trx: Tx, userId: string, areaId: string, role: AreaRole) {
  const row = await trx
    .insertInto('membership')
    .values({ user_id: userId, area_id: areaId, role })
    .onConflict((oc) => oc.columns(['user_id', 'area_id', 'role']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function removeMembership(trx: Tx, userId: string, areaId: string, role: AreaRole) {
  const result = await trx
    .deleteFrom('membership')
    .where('user_id', '=', userId)
    .where('area_id', '=', areaId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
