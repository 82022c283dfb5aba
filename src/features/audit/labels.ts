import type { AuditOutcome, AuditPurpose } from '../../platform/audit/actions.ts';

/**
 * Words for the audit trail's actions, for people reviewing it. Keyed by
 * plain strings on purpose: an action added to AUDIT_ACTIONS before it gets
 * words here is shown by its code rather than breaking the build
 * (labels.test.ts asks for words for every action).
 */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.locked_out': 'Account locked',
  'auth.mfa_enrolled': 'Set up authenticator app',
  'auth.mfa_verified': 'Gave security code',
  'auth.mfa_failed': 'Wrong security code',
  'auth.recovery_code_used': 'Used a recovery code',
  'auth.sign_out': 'Signed out',
  'auth.sign_out_everywhere': 'Signed out everywhere',
  'auth.session_timed_out': 'Session timed out',
  'auth.password_reset_requested': 'Asked to reset password',
  'auth.password_reset': 'Reset password',
  'auth.invitation_accepted': 'Accepted invitation',
  'access.denied': 'Access refused',
  'admin.area_created': 'Area created',
  'admin.area_updated': 'Area changed',
  'admin.agency_created': 'Agency created',
  'admin.agency_updated': 'Agency changed',
  'admin.user_invited': 'User invited',
  'admin.user_disabled': 'User disabled',
  'admin.user_enabled': 'User enabled',
  'admin.membership_added': 'Role given',
  'admin.membership_removed': 'Role taken away',
  'admin.exclusion_added': 'User barred from a case',
  'admin.exclusion_removed': 'Bar from a case lifted',
  'admin.area_agency_added': 'Agency added to an area',
  'admin.area_agency_removed': 'Agency removed from an area',
  'admin.invitation_resent': 'Invitation sent again',
  'admin.keys_rotated': 'Encryption keys rotated',
  'audit.viewed': 'Audit trail viewed',
  'audit.exported': 'Audit trail exported',
  'page.viewed': 'Page viewed',
  'referral.created': 'Referral started',
  'referral.updated': 'Referral changed',
  'referral.submitted': 'Referral submitted',
  'referral.viewed': 'Referral viewed',
  'referral.resubmitted': 'Referral resubmitted with more information',
  'referral.information_requested': 'More information requested from the referrer',
  'referral.accepted': 'Referral accepted',
  'referral.rejected': 'Referral rejected',
  'referral.marked_emergency': 'Referral marked as an emergency',
  'referral.transferred': 'Referral transferred to another area',
  'case.viewed': 'Case viewed',
  'person.match_confirmed': 'People confirmed as the same person',
  'person.match_rejected': 'People confirmed as not the same person',
  'person.match_undone': 'Person matching decision undone',
  'person.marked_new': 'Person confirmed as new to the MARAC',
  'person.imported': 'People imported (command line)',
  'person.bulk_matched': 'People matched in bulk (command line)',
  'person.reindexed': 'Matching keys recomputed (command line)',
  'notification.read': 'Notification read',
};

export const PURPOSE_LABELS: Record<AuditPurpose, string> = {
  triage: 'Triage',
  meeting_preparation: 'Meeting preparation',
  direct_care: 'Direct care',
  safeguarding: 'Safeguarding',
  research: 'Research',
  administration: 'Administration',
  audit_review: 'Audit review',
};

export const OUTCOME_LABELS: Record<AuditOutcome, { text: string; tag: string }> = {
  success: { text: 'Success', tag: 'govuk-tag--green' },
  denied: { text: 'Denied', tag: 'govuk-tag--red' },
  failed: { text: 'Failed', tag: 'govuk-tag--orange' },
};

export function actionLabel(action: string): string {
  return Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action]! : action;
}

export function purposeLabel(purpose: string | null): string | null {
  if (purpose === null) return null;
  return Object.hasOwn(PURPOSE_LABELS, purpose) ? PURPOSE_LABELS[purpose as AuditPurpose] : purpose;
}

export function outcomeLabel(outcome: string): { text: string; tag: string } {
  return Object.hasOwn(OUTCOME_LABELS, outcome)
    ? OUTCOME_LABELS[outcome as AuditOutcome]
    : { text: outcome, tag: 'govuk-tag--grey' };
}
