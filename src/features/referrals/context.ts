import type { Actor } from '../../platform/access/actor.ts';
import type { AuditEventInput } from '../../platform/audit/audit.ts';
import type { AuditAction, AuditPurpose } from '../../platform/audit/actions.ts';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';

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

/** The context of a signed-in request (the route's permission has already been checked). */
export function requestContext(request: FastifyRequest, keyring: Keyring): ReferralContext {
  return { actor: request.actor!, keyring, requestId: request.id };
}

/** Runs fn in one transaction as the request's actor (marac_app, row-level security on). */
export function inRequest<T>(
  db: Kysely<Schema>,
  request: FastifyRequest,
  keyring: Keyring,
  fn: (trx: Tx, ctx: ReferralContext) => Promise<T>,
): Promise<T> {
  const ctx = requestContext(request, keyring);
  return withTransaction(db, { requestId: request.id, actorId: ctx.actor.userId }, (trx) => fn(trx, ctx));
}
