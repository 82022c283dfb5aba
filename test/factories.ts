/**
 * Test factories: each call makes new, isolated rows with unique names, so
 * tests never share or mutate each other's fixtures.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, AreaRole, GlobalRole } from '../src/platform/access/actor.ts';
import type { AgencyKind, Schema } from '../src/platform/db/schema.ts';
import { hashPassword } from '../src/platform/identity/passwords.ts';
import { generateTotpSecret } from '../src/platform/identity/totp.ts';

const unique = () => randomUUID().slice(0, 8);

export async function makeArea(db: Kysely<Schema>, name = `Area ${unique()} MARAC`) {
  return db.insertInto('marac_area').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow();
}

export async function makeAgency(db: Kysely<Schema>, areaId: string, kind: AgencyKind = 'police') {
  const agency = await db
    .insertInto('agency')
    .values({ name: `Agency ${unique()}`, kind })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  await db.insertInto('area_agency').values({ area_id: areaId, agency_id: agency.id }).execute();
  return agency;
}

export type UserSpec = {
  agencyId?: string | null;
  globalRole?: GlobalRole | null;
  roles?: { areaId: string; role: AreaRole }[];
  status?: 'invited' | 'active' | 'disabled';
  email?: string;
};

/** A user with memberships, returned as the Actor the session layer would build. */
export async function makeUser(db: Kysely<Schema>, spec: UserSpec = {}): Promise<Actor & { email: string }> {
  const email = spec.email ?? `user-${unique()}@agency.example`;
  const user = await db
    .insertInto('app_user')
    .values({
      email,
      display_name: `Test User ${unique()}`,
      agency_id: spec.agencyId ?? null,
      global_role: spec.globalRole ?? null,
      status: spec.status ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const roles = spec.roles ?? [];
  if (roles.length) {
    await db
      .insertInto('membership')
      .values(roles.map((r) => ({ user_id: user.id, area_id: r.areaId, role: r.role })))
      .execute();
  }
  return {
    userId: user.id,
    email,
    agencyId: spec.agencyId ?? null,
    globalRole: spec.globalRole ?? null,
    memberships: roles,
    sessionId: randomUUID(),
  };
}

export async function makeCase(db: Kysely<Schema>, areaId: string, needToKnow: string[] = []) {
  const row = await db.insertInto('marac_case').values({ area_id: areaId }).returning('id').executeTakeFirstOrThrow();
  if (needToKnow.length) {
    await db
      .insertInto('case_agency')
      .values(
        needToKnow.map((agencyId) => ({ case_id: row.id, agency_id: agencyId, reason: 'meeting_invitation' as const })),
      )
      .execute();
  }
  return row.id;
}

/** An active user who can sign in for real: a password and an enrolled authenticator. */
export async function makeSignInUser(db: Kysely<Schema>, spec: UserSpec = {}) {
  const user = await makeUser(db, spec);
  const password = `correct horse ${unique()} battery`;
  const totpKey = generateTotpSecret();
  await db
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(password), totp_secret: totpKey, mfa_enrolled_at: new Date() })
    .where('id', '=', user.userId)
    .execute();
  return { ...user, password, totpKey };
}
