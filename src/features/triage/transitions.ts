import type { AuditAction } from '../../platform/audit/actions.ts';
import type { NotificationKind, ReferralEventKind, ReferralStatus } from '../../platform/db/schema.ts';

/** The coordinator's triage decisions, as they appear in URLs (`/areas/:areaId/referrals/:id/<decision>`). */
export const DECISIONS = ['accept', 'request-information', 'reject', 'emergency', 'transfer'] as const;
export type Decision = (typeof DECISIONS)[number];

export type Transition = {
  /** The statuses the decision may be taken from. Anything else answers 409 and writes nothing. */
  from: readonly ReferralStatus[];
  /** The status it leaves the referral in; null when it does not change the status. */
  to: ReferralStatus | null;
  event: ReferralEventKind;
  audit: AuditAction;
  /** What the referrer is told, if anything (a transfer notifies the receiving area instead). */
  notifyReferrer: NotificationKind | null;
  /** The words on buttons, page titles and the confirmation banner. */
  label: string;
  done: string;
};

/**
 * Which decision is allowed from which status: the one table the service, the pages' buttons and the tests read.
 *
 * - A new referral ('submitted') may be accepted, sent back for more information, rejected or transferred.
 * - A 'returned' referral waits for the referrer: it cannot be accepted or sent back again until they resubmit
 *   (which makes it 'submitted' again), but it may still be rejected (the referrer never replied, or it was
 *   referred in error) or transferred (the victim has moved).
 * - Emergency can be called whenever the referral is still open, including once accepted and waiting for a
 *   meeting; it cannot be called twice (checked separately, on is_emergency).
 * - 'accepted', 'rejected' and 'transferred' are otherwise final here. A transfer lands the referral in the
 *   receiving area as 'submitted' (new), and the database function checks the same 'from' list again.
 */
export const TRANSITIONS: Record<Decision, Transition> = {
  accept: {
    from: ['submitted'],
    to: 'accepted',
    event: 'accepted',
    audit: 'referral.accepted',
    notifyReferrer: 'referral_accepted',
    label: 'Accept for a MARAC meeting',
    done: 'Referral accepted. It is ready to list at a meeting.',
  },
  'request-information': {
    from: ['submitted'],
    to: 'returned',
    event: 'information_requested',
    audit: 'referral.information_requested',
    notifyReferrer: 'information_requested',
    label: 'Ask the referrer for more information',
    done: 'Referral returned to the referrer with your request.',
  },
  reject: {
    from: ['submitted', 'returned'],
    to: 'rejected',
    event: 'rejected',
    audit: 'referral.rejected',
    notifyReferrer: 'referral_rejected',
    label: 'Reject the referral',
    done: 'Referral rejected. The referrer has been told.',
  },
  emergency: {
    from: ['submitted', 'returned', 'accepted'],
    to: null,
    event: 'marked_emergency',
    audit: 'referral.marked_emergency',
    notifyReferrer: null,
    label: 'Mark as an emergency',
    done: 'Referral marked as an emergency.',
  },
  transfer: {
    from: ['submitted', 'returned'],
    to: 'submitted',
    event: 'transferred',
    audit: 'referral.transferred',
    notifyReferrer: null,
    label: 'Transfer to another MARAC area',
    done: 'Referral transferred. The receiving area’s coordinators have been told. You can still read this record.',
  },
};

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

/** Why a decision is not allowed now, or null when it is. */
export function refusal(decision: Decision, referral: { status: ReferralStatus; isEmergency: boolean }): string | null {
  if (decision === 'emergency' && referral.isEmergency && TRANSITIONS.emergency.from.includes(referral.status)) {
    return 'This referral is already marked as an emergency.';
  }
  if (TRANSITIONS[decision].from.includes(referral.status)) return null;
  return `This referral is ${STATUS_TEXT[referral.status]}, so you cannot ${VERB[decision]} it now.`;
}

/** The decisions open to a coordinator for a referral in this state, in the order the page offers them. */
export function allowedDecisions(referral: { status: ReferralStatus; isEmergency: boolean }): Decision[] {
  return DECISIONS.filter((decision) => refusal(decision, referral) === null);
}

export const STATUS_TEXT: Record<ReferralStatus, string> = {
  draft: 'a draft',
  submitted: 'new and waiting for triage',
  returned: 'waiting for more information from the referrer',
  accepted: 'accepted for a meeting',
  rejected: 'rejected',
  transferred: 'transferred to another area',
};

const VERB: Record<Decision, string> = {
  accept: 'accept',
  'request-information': 'ask for more information about',
  reject: 'reject',
  emergency: 'mark as an emergency',
  transfer: 'transfer',
};
