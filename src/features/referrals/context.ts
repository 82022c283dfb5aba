import type { Actor } from '../../platform/access/actor.ts';
import type { AuditEventInput } from '../../platform/audit/audit.ts';
import type { AuditAction, AuditPurpose } from '../../platform/audit/actions.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';

/** Who is acting and with what: passed to every referral service call. */
export type ReferralContext = {
  actor: Actor;
  keyring: Keyring;
  requestId: string;
};

/** An audit row about one referral, for recordAudit. Ids and codes only. */
export function referralAudit(
  ctx: ReferralContext,
  action: AuditAction,
  referral: { id: string; case_id: string },
  actorRole: string | null,
  purpose: AuditPurpose | null = null,
): AuditEventInput {
  return {
    actorUserId: ctx.actor.userId,
    actorAgencyId: ctx.actor.agencyId,
    actorRole,
    action,
    subjectType: 'referral',
    subjectId: referral.id,
    caseId: referral.case_id,
    purpose,
    outcome: 'success',
    requestId: ctx.requestId,
  };
}
