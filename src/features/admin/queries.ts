import { sql, type Kysely } from 'kysely';
import { AREA_ROLES, GLOBAL_ROLES, type AreaRole } from '../../platform/access/actor.ts';
import { AGENCY_KINDS, type Schema, type UserStatus } from '../../platform/db/schema.ts';

/**
 * Reads for the administration pages: areas, agencies, users and roles.
 * Reference data and staff accounts only — nothing here touches case data.
 */
type Db = Kysely<Schema>;

export const STATUS_LABELS: Record<UserStatus, string> = {
  invited: 'Invited',
  active: 'Active',
  disabled: 'Disabled',
};

export async function listAreas(db: Db) {
  return db
    .selectFrom('marac_area as area')
    .select((eb) => [
      'area.id',
      'area.name',
      eb
        .selectFrom('area_agency')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('area_agency.area_id', '=', 'area.id')
        .as('agencies'),
      eb
        .selectFrom('membership')
        .select(sql<number>`count(distinct membership.user_id)`.as('n'))
        .whereRef('membership.area_id', '=', 'area.id')
        .as('members'),
    ])
    .orderBy('area.name')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, agencies: Number(r.agencies), members: Number(r.members) })));
}

/** Callers pass an id already checked to be a uuid (ids.ts). */
export async function findArea(db: Db, areaId: string) {
  return db.selectFrom('marac_area').select(['id', 'name']).where('id', '=', areaId).executeTakeFirst();
}

export async function areaAgencies(db: Db, areaId: string) {
  const rows = await db
    .selectFrom('area_agency as aa')
    .innerJoin('agency', 'agency.id', 'aa.agency_id')
    .select(['agency.id', 'agency.name', 'agency.kind'])
    .where('aa.area_id', '=', areaId)
    .orderBy('agency.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: AGENCY_KINDS[r.kind] }));
}

export async function agenciesNotInArea(db: Db, areaId: string) {
  return db
    .selectFrom('agency')
    .select(['id', 'name'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('area_agency')
            .select('area_agency.agency_id')
            .whereRef('area_agency.agency_id', '=', 'agency.id')
            .where('area_agency.area_id', '=', areaId),
        ),
      ),
    )
    .orderBy('name')
    .execute();
}

export async function listAgencies(db: Db) {
  const rows = await db.selectFrom('agency').select(['id', 'name', 'kind']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, kindLabel: AGENCY_KINDS[r.kind] }));
}

export async function findAgency(db: Db, agencyId: string) {
  return db.selectFrom('agency').select(['id', 'name', 'kind']).where('id', '=', agencyId).executeTakeFirst();
}

/** Is the name used by another row? Compared without regard to case, so "North MARAC" and "north marac" clash. */
export async function nameTaken(db: Db, table: 'marac_area' | 'agency', name: string, exceptId?: string) {
  let query = db
    .selectFrom(table)
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function emailTaken(db: Db, email: string) {
  return (await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

const roleLabel = (role: AreaRole) => AREA_ROLES[role];

export async function listUsers(db: Db) {
  const users = await db
    .selectFrom('app_user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.display_name', 'u.email', 'u.status', 'u.global_role', 'a.name as agency'])
    .orderBy('u.display_name')
    .orderBy('u.email')
    .execute();
  const memberships = await db
    .selectFrom('membership as m')
    .innerJoin('marac_area as area', 'area.id', 'm.area_id')
    .select(['m.user_id', 'm.role', 'area.name as area'])
    .orderBy('area.name')
    .orderBy('m.role')
    .execute();
  const roles = new Map<string, string[]>();
  for (const m of memberships) {
    roles.set(m.user_id, [...(roles.get(m.user_id) ?? []), `${roleLabel(m.role)} – ${m.area}`]);
  }
  return users.map((u) => ({
    id: u.id,
    name: u.display_name,
    email: u.email,
    agency: u.agency,
    status: u.status,
    statusLabel: STATUS_LABELS[u.status],
    roles: [...(u.global_role ? [GLOBAL_ROLES[u.global_role]] : []), ...(roles.get(u.id) ?? [])],
  }));
}

export async function findUser(db: Db, userId: string) {
  const user = await db
    .selectFrom('app_user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.display_name',
      'u.email',
      'u.status',
      'u.global_role',
      'u.mfa_enrolled_at',
      'u.created_at',
      'a.name as agency',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const memberships = await db
    .selectFrom('membership as m')
    .innerJoin('marac_area as area', 'area.id', 'm.area_id')
    .select(['m.area_id', 'm.role', 'area.name as area'])
    .where('m.user_id', '=', userId)
    .orderBy('area.name')
    .orderBy('m.role')
    .execute();
  return {
    id: user.id,
    name: user.display_name,
    email: user.email,
    agency: user.agency,
    status: user.status,
    statusLabel: STATUS_LABELS[user.status],
    globalRole: user.global_role,
    globalRoleLabel: user.global_role ? GLOBAL_ROLES[user.global_role] : null,
    mfaSetUp: user.mfa_enrolled_at !== null,
    memberships: memberships.map((m) => ({ areaId: m.area_id, area: m.area, role: m.role, label: roleLabel(m.role) })),
  };
}

/** Everyone holding a role in one area, a row per role. */
export async function areaMembers(db: Db, areaId: string) {
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id as userId', 'u.display_name', 'u.email', 'u.status', 'a.name as agency', 'm.role'])
    .where('m.area_id', '=', areaId)
    .orderBy('u.display_name')
    .orderBy('u.email')
    .orderBy('m.role')
    .execute();
  return rows.map((r) => ({
    userId: r.userId,
    name: r.display_name,
    email: r.email,
    agency: r.agency,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    role: r.role,
    roleLabel: roleLabel(r.role),
  }));
}

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'status', 'global_role'])
    .where('email', '=', email)
    .executeTakeFirst();
}
