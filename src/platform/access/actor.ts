/** Roles a user holds in one MARAC area (see ../shared/domain/marac.md). */
export const AREA_ROLES = {
  coordinator: 'Coordinator',
  chair: 'Chair',
  agency_representative: 'Agency representative',
  idva: 'IDVA',
  referrer: 'Referrer',
  analyst: 'Analyst (aggregate data only)',
} as const;
export type AreaRole = keyof typeof AREA_ROLES;

/** Service-wide roles. Neither gives any access to case data. */
export const GLOBAL_ROLES = {
  system_admin: 'System administrator',
  information_governance: 'Information governance',
} as const;
export type GlobalRole = keyof typeof GLOBAL_ROLES;

/** The signed-in user a request acts for, rebuilt from the database on every request. */
export type Actor = {
  userId: string;
  agencyId: string | null;
  globalRole: GlobalRole | null;
  memberships: readonly { areaId: string; role: AreaRole }[];
  sessionId: string;
};

export function hasAreaRole(actor: Actor, areaId: string, ...roles: AreaRole[]) {
  return actor.memberships.some((m) => m.areaId === areaId && roles.includes(m.role));
}

export function areasWhere(actor: Actor, ...roles: AreaRole[]): string[] {
  return [...new Set(actor.memberships.filter((m) => roles.includes(m.role)).map((m) => m.areaId))];
}
