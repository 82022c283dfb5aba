import type { FastifyInstance } from 'fastify';
import { AREA_ROLES, GLOBAL_ROLES } from '../../platform/access/actor.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { SESSION_COOKIE_OPTIONS } from '../../platform/http/authentication.ts';
import { endUserSessions, SESSION_COOKIE } from '../../platform/session/sessions.ts';
import type { AuthDeps } from './deps.ts';

/** The signed-in user's own account: who they are, their roles, and signing out everywhere. */
export async function accountRoutes(app: FastifyInstance, { db, clock }: AuthDeps) {
  app.get('/account', { config: { permission: 'account.self', audit: null } }, async (request, reply) => {
    const actor = request.actor!;
    const user = await db
      .selectFrom('app_user as u')
      .leftJoin('agency as a', 'a.id', 'u.agency_id')
      .select(['u.display_name', 'u.email', 'a.name as agency', 'u.global_role'])
      .where('u.id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    const roles = await db
      .selectFrom('membership as m')
      .innerJoin('marac_area as area', 'area.id', 'm.area_id')
      .select(['area.name as area', 'm.role'])
      .where('m.user_id', '=', actor.userId)
      .orderBy('area.name')
      .execute();
    const sessions = await db
      .selectFrom('user_session')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('ended_at', 'is', null)
      .where('mfa_passed', '=', true)
      .executeTakeFirstOrThrow();
    const recovery = await db
      .selectFrom('recovery_code')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return reply.view('features/auth/account.njk', {
      user: { ...user, globalRole: user.global_role ? GLOBAL_ROLES[user.global_role] : null },
      roles: roles.map((r) => ({ area: r.area, role: AREA_ROLES[r.role] })),
      sessions: Number(sessions.n),
      recoveryCodesLeft: Number(recovery.n),
    });
  });

  app.post(
    '/account/sign-out-everywhere',
    { config: { permission: 'account.self', audit: 'auth.sign_out_everywhere' } },
    async (request, reply) => {
      const actor = request.actor!;
      await withTransaction(db, { requestId: request.id, actorId: actor.userId }, async (trx) => {
        const ended = await endUserSessions(trx, actor.userId, 'sign_out_everywhere', clock());
        await request.audit(trx, {
          subjectType: 'user',
          subjectId: actor.userId,
          outcome: ended > 0 ? 'success' : 'failed',
        });
      });
      reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
      return reply.redirect('/signed-out', 303);
    },
  );

  // "Stay signed in" from the inactivity warning: the request itself restarts the idle clock.
  app.post('/session/keep-alive', { config: { permission: 'account.self', audit: null } }, async (_request, reply) =>
    reply.code(204).send(),
  );
}
