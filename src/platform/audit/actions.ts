/**
 * The closed vocabularies of the audit trail. An action or purpose that is not
 * listed here cannot be recorded: recordAudit refuses it at run time, the
 * types refuse it at compile time, and the database checks the shape (actions)
 * or the list itself (purposes, outcomes). Add to these lists — never rename or
 * remove a value, because old rows keep the old words forever.
 */

/** Actions, named `area.verb_in_past_tense`. */
export const AUDIT_ACTIONS = [
  // Signing in and out
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.locked_out',
  'auth.mfa_enrolled',
  'auth.mfa_verified',
  'auth.mfa_failed',
  'auth.recovery_code_used',
  'auth.sign_out',
  'auth.sign_out_everywhere',
  'auth.session_timed_out',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.invitation_accepted',
  // The access policy said no
  'access.denied',
  // Administration of areas, agencies and users
  'admin.area_created',
  'admin.area_updated',
  'admin.agency_created',
  'admin.agency_updated',
  'admin.user_invited',
  'admin.user_disabled',
  'admin.user_enabled',
  'admin.membership_added',
  'admin.membership_removed',
  'admin.exclusion_added',
  'admin.exclusion_removed',
  'admin.area_agency_added',
  'admin.area_agency_removed',
  'admin.invitation_resent',
  'admin.keys_rotated',
  // Looking at the audit trail is itself audited
  'audit.viewed',
  'audit.exported',
  // A page showing case or person data was read
  'page.viewed',
  // Referrals
  'referral.created',
  'referral.updated',
  'referral.submitted',
  'referral.viewed',
  'referral.resubmitted',
  'referral.information_requested',
  'referral.accepted',
  'referral.rejected',
  'referral.marked_emergency',
  'referral.transferred',
  // Cases
  'case.viewed',
  // Person matching decisions (same person, not the same, new person) and their undoing
  'person.match_confirmed',
  'person.match_rejected',
  'person.match_undone',
  'person.marked_new',
  // The operator's bulk commands (marac people import / match / reindex)
  'person.imported',
  'person.bulk_matched',
  'person.reindexed',
  // In-app notifications
  'notification.read',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Actions that count as someone reading a record, for "who has viewed this"
 * panels: every `*.viewed` and `*.exported` action (an export is a read that
 * leaves the building). Derived, so a new `case.viewed` joins automatically.
 */
export const READ_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter(
  (a) => a.endsWith('.viewed') || a.endsWith('.exported'),
);

/**
 * Why case data was read: the lawful purpose a reader declares. The database
 * holds the same list in a CHECK constraint (migrations/0003_audit_trail.sql),
 * so adding a purpose takes a migration as well — deliberately.
 */
export const AUDIT_PURPOSES = [
  'triage',
  'meeting_preparation',
  'direct_care',
  'safeguarding',
  'research',
  'administration',
  'audit_review',
] as const;

export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export function isAuditPurpose(value: unknown): value is AuditPurpose {
  return typeof value === 'string' && (AUDIT_PURPOSES as readonly string[]).includes(value);
}

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === 'string' && (AUDIT_OUTCOMES as readonly string[]).includes(value);
}
