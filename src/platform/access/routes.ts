import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { AuditAction } from '../audit/actions.ts';
import { recordAudit, type AuditEventInput } from '../audit/audit.ts';
import type { Schema } from '../db/schema.ts';
import { withTransaction, type Tx } from '../db/transaction.ts';
import { AppError, notFound } from '../http/errors.ts';
import { can, POLICY, type Permission } from './policy.ts';
import { isUuid } from '../ids.ts';

/** Pages reached with a password but before the second factor. */
export const SECOND_FACTOR = 'auth.second_factor';
export type RoutePermission = Permission | typeof SECOND_FACTOR;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission the route needs: required on every route. */
    permission?: RoutePermission;
    /** The audit action the route records, or null when it touches nothing worth auditing. Required. */
    audit?: AuditAction | null;
  }
  interface FastifyInstance {
    /** Every route with its declared permission and audit action, for reviews and tests. */
    declaredRoutes: DeclaredRoute[];
  }
  interface FastifyRequest {
    /** Writes this request's audit row in the caller's transaction, filling in who and the request id. */
    audit(trx: Tx, event: Partial<AuditEventInput> & Pick<AuditEventInput, 'outcome'>): Promise<void>;
  }
}

export type DeclaredRoute = { method: string; url: string; permission: RoutePermission; audit: AuditAction | null };

/**
 * The only way a route gets served: it must declare a permission known to the
 * policy and an audit action (start-up fails otherwise), and every request is
 * checked against it before the handler runs. A signed-in user without the
 * permission gets the same 404 as for a page that does not exist, and the
 * denial is audited.
 */
export const routeAccess = fp<{ db: Kysely<Schema> }>(async (app, { db }) => {
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { permission?: string; audit?: string | null };
    const name = `${String(route.method)} ${route.url}`;
    if (config.permission === undefined || config.audit === undefined) {
      throw new Error(`${name} must declare config.permission and config.audit`);
    }
    if (config.permission !== SECOND_FACTOR && !(config.permission in POLICY)) {
      throw new Error(`${name} declares "${config.permission}", which the access policy does not define`);
    }
    for (const method of [route.method].flat()) {
      declared.push({
        method: String(method),
        url: route.url,
        permission: config.permission as RoutePermission,
        audit: config.audit as AuditAction | null,
      });
    }
  });

  app.decorateRequest('audit', async function (this: FastifyRequest, trx: Tx, event) {
    const action = event.action ?? this.routeOptions.config.audit;
    if (!action) throw new Error(`${this.routeOptions.url} records an audit event but declares none`);
    await recordAudit(trx, {
      actorUserId: this.actor?.userId ?? this.session?.userId ?? null,
      actorAgencyId: this.actor?.agencyId ?? null,
      actorRole: this.actor?.globalRole ?? null,
      subjectType: 'none',
      subjectId: null,
      caseId: null,
      purpose: null,
      requestId: this.id,
      ...event,
      action,
    });
  });

  app.addHook('preHandler', async (request, reply) => {
    const { permission } = request.routeOptions.config;
    if (permission === undefined) throw notFound(); // the not-found handler
    if (permission === 'public') return;
    if (permission === SECOND_FACTOR) {
      if (request.session && !request.session.mfaPassed) return;
      return reply.redirect(request.actor ? '/home' : '/sign-in', 303);
    }
    if (!request.actor) {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.redirect('/sign-in', 303);
      throw new AppError(401, 'sign_in_required', 'Sign in to continue');
    }
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    if (params.areaId !== undefined && !isUuid(params.areaId)) throw notFound();
    if (!can(request.actor, permission, { areaId: params.areaId })) {
      await withTransaction(db, { requestId: request.id, actorId: request.actor.userId }, (trx) =>
        request.audit(trx, {
          action: 'access.denied',
          subjectType: 'route',
          subjectId: request.routeOptions.url ?? null,
          outcome: 'denied',
        }),
      );
      throw notFound();
    }
  });
});
