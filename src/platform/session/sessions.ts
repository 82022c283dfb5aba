import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.ts';
import type { Schema, SessionEndReason } from '../db/schema.ts';
import { hashToken, isWellFormedToken, newToken } from '../identity/tokens.ts';

/**
 * Server-side sessions. The browser holds a random token; the database holds
 * only its SHA-256, so a copy of the sessions table signs nobody in.
 */
export const SESSION_COOKIE = '__Host-marac-session';
export const ABSOLUTE_LIFETIME_MS = 10 * 60 * 60 * 1000;

export type SessionTimeouts = { idleMs: number; absoluteMs: number };

export type ActiveSession = {
  id: string;
  userId: string;
  displayName: string;
  mfaPassed: boolean;
  lastSeenAt: Date;
  expiresAt: Date;
};

export type SessionLookup =
  | { state: 'none' }
  | { state: 'ended'; reason: 'idle' | 'absolute' | 'disabled'; sessionId: string; userId: string }
  | { state: 'active'; session: ActiveSession; actor: Actor | null };

type Db = Kysely<Schema> | Transaction<Schema>;

/** Starts a session; `mfaPassed` false gives a session that reaches only the second-factor pages. */
export async function createSession(db: Db, userId: string, now: Date, mfaPassed: boolean) {
  const token = newToken();
  const row = await db
    .insertInto('user_session')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      mfa_passed: mfaPassed,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id };
}

export async function endSession(db: Db, sessionId: string, reason: SessionEndReason, now: Date) {
  await db
    .updateTable('user_session')
    .set({ ended_at: now, ended_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every open session of a user (sign out everywhere, password reset, disabling). Returns how many. */
export async function endUserSessions(db: Db, userId: string, reason: SessionEndReason, now: Date) {
  const result = await db
    .updateTable('user_session')
    .set({ ended_at: now, ended_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Finds the session behind a cookie and decides whether it still stands:
 * idle too long, past its absolute lifetime, or its user no longer active
 * ends it. Memberships are read afresh, so a removed role stops working on
 * the user's very next request.
 */
export async function lookUpSession(
  db: Db,
  token: string | undefined,
  now: Date,
  timeouts: SessionTimeouts,
): Promise<SessionLookup> {
  if (!token || !isWellFormedToken(token)) return { state: 'none' };
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.mfa_passed',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'u.status',
      'u.display_name',
      'u.agency_id',
      'u.global_role',
    ])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.ended_at', 'is', null)
    .executeTakeFirst();
  if (!row) return { state: 'none' };

  const ended = (reason: 'idle' | 'absolute' | 'disabled') =>
    ({ state: 'ended', reason, sessionId: row.id, userId: row.user_id }) as const;
  if (row.status !== 'active') return ended('disabled');
  if (now.getTime() >= Math.min(row.expires_at.getTime(), row.created_at.getTime() + timeouts.absoluteMs)) {
    return ended('absolute');
  }
  if (now.getTime() - row.last_seen_at.getTime() >= timeouts.idleMs) return ended('idle');

  const session: ActiveSession = {
    id: row.id,
    userId: row.user_id,
    displayName: row.display_name,
    mfaPassed: row.mfa_passed,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
  if (!row.mfa_passed) return { state: 'active', session, actor: null };
  const memberships = await db
    .selectFrom('membership')
    .select(['area_id', 'role'])
    .where('user_id', '=', row.user_id)
    .orderBy('area_id')
    .orderBy('role')
    .execute();
  const actor: Actor = {
    userId: row.user_id,
    agencyId: row.agency_id,
    globalRole: row.global_role,
    memberships: memberships.map((m) => ({ areaId: m.area_id, role: m.role })),
    sessionId: row.id,
  };
  return { state: 'active', session, actor };
}

/** Records activity, which restarts the idle clock. */
export async function touchSession(db: Db, sessionId: string, now: Date) {
  await db.updateTable('user_session').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}
