import type { Actor } from './actor.ts';
import { areasWhere, hasAreaRole } from './actor.ts';

/**
 * The access policy: every permission a route can require, and who holds it.
 * Deny by default — a permission not listed here cannot be declared, and an
 * anonymous request holds only `public`. Record-level visibility of case data
 * is compiled into SQL in visibility.ts; the database repeats it with
 * row-level security (migrations/0005_case_access.sql).
 */
export type PolicyContext = {
  /** The area a route acts on, when it names one (already checked to exist). */
  areaId?: string;
};

type Rule = (actor: Actor | null, context: PolicyContext) => boolean;

const signedIn: Rule = (actor) => actor !== null;

export const POLICY = {
  /** Pages anyone may see: start page, sign-in, health, assets. */
  public: () => true,
  /** Pages about one's own account. */
  'account.self': signedIn,
  /** Managing areas, agencies, users and invitations: the system administrator only. */
  'admin.manage': (actor) => actor?.globalRole === 'system_admin',
  /** Listing and changing who holds which role in an area. */
  'area.memberships.manage': (actor, { areaId }) =>
    actor !== null &&
    (actor.globalRole === 'system_admin' || (areaId !== undefined && hasAreaRole(actor, areaId, 'coordinator'))),
  /** Reading and exporting the audit trail. */
  'audit.view': (actor) => actor?.globalRole === 'system_admin' || actor?.globalRole === 'information_governance',
  /** Reading a case; which cases is decided per record by visibleCases(). */
  'case.read': (actor) =>
    actor !== null && areasWhere(actor, 'coordinator', 'chair', 'idva', 'agency_representative').length > 0,
  /** Starting a referral in an area: its referrers. */
  'referral.create': (actor, { areaId }) =>
    actor !== null && areaId !== undefined && hasAreaRole(actor, areaId, 'referrer'),
  /** A referrer's own referrals (list, drafts, answers, submission); which ones is decided per record. */
  'referral.own': (actor) => actor !== null && areasWhere(actor, 'referrer').length > 0,
  /** An area's incoming referrals: its coordinators, and its IDVA service, which receives every referral. */
  'referral.queue': (actor, { areaId }) =>
    actor !== null && areaId !== undefined && hasAreaRole(actor, areaId, 'coordinator', 'idva'),
  /** Triage decisions on an area's referrals (accept, request information, reject, emergency, transfer). */
  'referral.decide': (actor, { areaId }) =>
    actor !== null && areaId !== undefined && hasAreaRole(actor, areaId, 'coordinator'),
  /** One's own in-app notifications. */
  'notifications.self': signedIn,
  /** Barring a user from a case (conflict of interest). */
  'case.exclusions.manage': (actor, { areaId }) =>
    actor !== null && areaId !== undefined && hasAreaRole(actor, areaId, 'coordinator'),
} satisfies Record<string, Rule>;

export type Permission = keyof typeof POLICY;
export const PERMISSIONS = Object.keys(POLICY) as Permission[];

/** Does the actor hold the permission in this context? Unknown permissions are denied. */
export function can(actor: Actor | null, permission: Permission, context: PolicyContext = {}): boolean {
  const rule: Rule | undefined = POLICY[permission];
  return rule ? rule(actor, context) : false;
}
