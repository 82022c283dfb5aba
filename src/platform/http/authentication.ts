import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Actor } from '../access/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Schema } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import {
  endSession,
  lookUpSession,
  SESSION_COOKIE,
  touchSession,
  type ActiveSession,
  type SessionTimeouts,
} from '../session/sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user (both factors given), or null. */
    actor: Actor | null;
    /** The session behind the cookie, including one still waiting for its second factor. */
    session: ActiveSession | null;
    /** Why the session behind the cookie just ended, to tell the user. */
    sessionEnded: 'idle' | 'absolute' | 'disabled' | null;
  }
  interface FastifyInstance {
    /** The time, injectable so tests can move it on. */
    clock: () => Date;
  }
}

export type AuthenticationOptions = { db: Kysely<Schema>; clock: () => Date; timeouts: SessionTimeouts };

export const SESSION_COOKIE_OPTIONS = {
  path: '/',
  httpOnly: true,
  // __Host- cookies must be Secure; browsers accept them from http://localhost too.
  secure: true,
  sameSite: 'lax',
} as const;

/** Who is asking: resolves the session cookie to an actor on every request (assets excepted). */
export const authentication = fp<AuthenticationOptions>(async (app, { db, clock, timeouts }) => {
  app.decorate('clock', clock);
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('sessionEnded', null);

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/')) return;
    const now = clock();
    const found = await lookUpSession(db, request.cookies[SESSION_COOKIE], now, timeouts);
    if (found.state === 'none') return;
    if (found.state === 'ended') {
      await withTransaction(db, { requestId: request.id, actorId: found.userId }, async (trx) => {
        await endSession(trx, found.sessionId, found.reason, now);
        if (found.reason !== 'disabled') {
          await recordAudit(trx, {
            actorUserId: found.userId,
            actorAgencyId: null,
            actorRole: null,
            action: 'auth.session_timed_out',
            subjectType: 'session',
            subjectId: found.sessionId,
            caseId: null,
            purpose: null,
            outcome: 'success',
            requestId: request.id,
          });
        }
      });
      reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
      request.sessionEnded = found.reason;
      return;
    }
    request.session = found.session;
    request.actor = found.actor;
    await touchSession(db, found.session.id, now);
    if (found.actor) {
      reply.locals = {
        ...reply.locals,
        signedIn: true,
        userName: found.session.displayName,
        idleTimeoutSeconds: Math.round(timeouts.idleMs / 1000),
      };
    }
  });
});
