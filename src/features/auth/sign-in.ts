import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SECOND_FACTOR } from '../../platform/access/routes.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { SESSION_COOKIE_OPTIONS } from '../../platform/http/authentication.ts';
import { AppError } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { codeForm } from './code-form.ts';
import { needsRehash, hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/identity/passwords.ts';
import { matchRecoveryCode } from '../../platform/identity/recovery-codes.ts';
import { verifyTotp } from '../../platform/identity/totp.ts';
import { endSession, SESSION_COOKIE } from '../../platform/session/sessions.ts';
import type { AuthDeps } from './deps.ts';
import { clearFailures, isLocked, recordFailure } from './lockout.ts';
import { startSession } from './session-cookie.ts';

const SIGN_IN_ERROR = 'Enter a correct email address and password';
const CODE_ERROR = 'Enter a correct security code';

const signInForm = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter your email address').max(254, SIGN_IN_ERROR),
  password: z.string().min(1, 'Enter your password').max(1024, SIGN_IN_ERROR),
});
const recoveryForm = z.object({
  code: z.string().trim().min(1, 'Enter a recovery code').max(40, 'Enter a correct recovery code'),
});

const ENDED_MESSAGES: Record<string, string> = {
  idle: 'You were signed out because you had not done anything for a while. Sign in again to continue.',
  absolute: 'You were signed out because your session reached its time limit. Sign in again to continue.',
};

/** Per-IP limit on password and code attempts, on top of the per-account lockout. */
const rateLimit = { max: 20, timeWindow: '1 minute' };

export async function signInRoutes(app: FastifyInstance, { db, clock }: AuthDeps) {
  const page = (template: string) => `features/auth/${template}.njk`;

  app.get('/sign-in', { config: { permission: 'public', audit: null } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/home', 303);
    const query = request.query as { ended?: string; notice?: string };
    const ended = query.ended ?? request.sessionEnded ?? '';
    const notice =
      query.notice === 'password-changed'
        ? 'Your password has been changed. Sign in with your new password.'
        : undefined;
    return reply.view(page('sign-in'), { endedMessage: ENDED_MESSAGES[ended], notice, values: {} });
  });

  app.post(
    '/sign-in',
    { config: { permission: 'public', audit: 'auth.sign_in_failed', rateLimit } },
    async (request, reply) => {
      const form = parseForm(signInForm, request.body);
      const email =
        typeof (request.body as { email?: unknown })?.email === 'string'
          ? (request.body as { email: string }).email
          : '';
      if (!form.ok) return reply.code(400).view(page('sign-in'), { errors: form.errors, values: { email } });
      const { password } = form.data;
      const now = clock();
      const user = await db
        .selectFrom('app_user')
        .select(['id', 'status', 'password_hash', 'locked_until', 'mfa_enrolled_at'])
        .where('email', '=', form.data.email)
        .executeTakeFirst();

      // Unknown, not yet active, locked and wrong password all take the same
      // time and get the same answer: nothing tells an attacker which it was.
      const usable = user && user.status === 'active' && user.password_hash && !isLocked(user, now);
      const passwordOk = usable
        ? await verifyPassword(user.password_hash!, password)
        : await verifyAgainstDummy(password);

      const signedIn = await withTransaction(db, { requestId: request.id }, async (trx) => {
        if (!user || !usable || !passwordOk) {
          const locked = user && usable ? await recordFailure(trx, user.id, now) : false;
          await request.audit(trx, {
            action: 'auth.sign_in_failed',
            subjectType: 'user',
            subjectId: user?.id ?? null,
            outcome: user && isLocked(user, now) ? 'denied' : 'failed',
          });
          if (locked)
            await request.audit(trx, {
              action: 'auth.locked_out',
              subjectType: 'user',
              subjectId: user!.id,
              outcome: 'success',
            });
          return false;
        }
        if (needsRehash(user.password_hash!)) {
          await trx
            .updateTable('app_user')
            .set({ password_hash: await hashPassword(password) })
            .where('id', '=', user.id)
            .execute();
        }
        await startSession(trx, request, reply, user.id, now, false);
        return true;
      });
      if (!signedIn) {
        return reply.code(400).view(page('sign-in'), { errors: { email: SIGN_IN_ERROR }, values: { email } });
      }
      return reply.redirect(user!.mfa_enrolled_at ? '/sign-in/code' : '/mfa/set-up', 303);
    },
  );

  app.get('/sign-in/code', { config: { permission: SECOND_FACTOR, audit: null } }, async (request, reply) => {
    if (!(await isEnrolled(request.session!.userId))) return reply.redirect('/mfa/set-up', 303);
    return reply.view(page('code'), {});
  });

  app.post(
    '/sign-in/code',
    { config: { permission: SECOND_FACTOR, audit: 'auth.mfa_verified', rateLimit } },
    async (request, reply) => {
      const form = parseForm(codeForm, request.body);
      if (!form.ok) return reply.code(400).view(page('code'), { errors: form.errors });
      return secondFactor(
        request,
        reply,
        async (user, now) => {
          if (!user.totp_secret || !user.mfa_enrolled_at) return null;
          const result = verifyTotp(user.totp_secret, form.data.code, now.getTime(), {
            lastUsedStep: user.totp_last_step ?? -1,
          });
          return result.ok ? { step: result.step } : null;
        },
        'code',
      );
    },
  );

  app.get('/sign-in/recovery-code', { config: { permission: SECOND_FACTOR, audit: null } }, async (_request, reply) =>
    reply.view(page('recovery-code'), {}),
  );

  app.post(
    '/sign-in/recovery-code',
    { config: { permission: SECOND_FACTOR, audit: 'auth.recovery_code_used', rateLimit } },
    async (request, reply) => {
      const form = parseForm(recoveryForm, request.body);
      if (!form.ok) return reply.code(400).view(page('recovery-code'), { errors: form.errors });
      return secondFactor(
        request,
        reply,
        async (user) => {
          const codes = await db
            .selectFrom('recovery_code')
            .select('code_hash')
            .where('user_id', '=', user.id)
            .where('used_at', 'is', null)
            .execute();
          const index = matchRecoveryCode(
            form.data.code,
            codes.map((c) => c.code_hash),
          );
          return index >= 0 ? { recoveryHash: codes[index]!.code_hash } : null;
        },
        'recovery-code',
      );
    },
  );

  app.post('/sign-out', { config: { permission: 'account.self', audit: 'auth.sign_out' } }, async (request, reply) => {
    await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
      await endSession(trx, request.session!.id, 'sign_out', clock());
      await request.audit(trx, { subjectType: 'session', subjectId: request.session!.id, outcome: 'success' });
    });
    reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', { config: { permission: 'public', audit: null } }, async (_request, reply) =>
    reply.view(page('signed-out'), {}),
  );

  async function isEnrolled(userId: string) {
    const user = await db.selectFrom('app_user').select('mfa_enrolled_at').where('id', '=', userId).executeTakeFirst();
    return Boolean(user?.mfa_enrolled_at);
  }

  type SecondFactorUser = {
    id: string;
    agency_id: string | null;
    totp_secret: string | null;
    totp_last_step: number | null;
    mfa_enrolled_at: Date | null;
    locked_until: Date | null;
  };

  /** The shared second step: check the factor, count failures, or start the full session. */
  async function secondFactor(
    request: FastifyRequest,
    reply: FastifyReply,
    check: (user: SecondFactorUser, now: Date) => Promise<{ step?: number; recoveryHash?: string } | null>,
    template: string,
  ) {
    const now = clock();
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'agency_id', 'totp_secret', 'totp_last_step', 'mfa_enrolled_at', 'locked_until'])
      .where('id', '=', request.session!.userId)
      .executeTakeFirstOrThrow();
    const passed = isLocked(user, now) ? null : await check(user, now);
    const outcome = await withTransaction(db, { requestId: request.id, actorId: user.id }, async (trx) => {
      if (!passed) {
        const locked = isLocked(user, now) || (await recordFailure(trx, user.id, now));
        await request.audit(trx, {
          action: 'auth.mfa_failed',
          subjectType: 'user',
          subjectId: user.id,
          outcome: 'failed',
        });
        if (locked && !isLocked(user, now)) {
          await request.audit(trx, {
            action: 'auth.locked_out',
            subjectType: 'user',
            subjectId: user.id,
            outcome: 'success',
          });
        }
        if (locked) await endSession(trx, request.session!.id, 'replaced', now);
        return locked ? 'locked' : 'failed';
      }
      if (passed.step !== undefined) {
        await trx.updateTable('app_user').set({ totp_last_step: passed.step }).where('id', '=', user.id).execute();
      }
      if (passed.recoveryHash) {
        // Guarded on "still unused", so two tabs cannot spend one code twice.
        const spent = await trx
          .updateTable('recovery_code')
          .set({ used_at: now })
          .where('user_id', '=', user.id)
          .where('code_hash', '=', passed.recoveryHash)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(spent.numUpdatedRows) !== 1)
          throw new AppError(409, 'code_used', 'That recovery code has just been used. Try another.');
        await request.audit(trx, {
          action: 'auth.recovery_code_used',
          subjectType: 'user',
          subjectId: user.id,
          outcome: 'success',
        });
      } else {
        await request.audit(trx, {
          action: 'auth.mfa_verified',
          subjectType: 'user',
          subjectId: user.id,
          outcome: 'success',
        });
      }
      await clearFailures(trx, user.id);
      const sessionId = await startSession(trx, request, reply, user.id, now, true);
      await request.audit(trx, {
        action: 'auth.sign_in',
        actorAgencyId: user.agency_id,
        subjectType: 'session',
        subjectId: sessionId,
        outcome: 'success',
      });
      return 'passed';
    });
    if (outcome === 'passed') return reply.redirect('/home', 303);
    if (outcome === 'locked') {
      reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
      return reply.code(400).view(page('sign-in'), { errors: { email: SIGN_IN_ERROR }, values: {} });
    }
    return reply
      .code(400)
      .view(page(template), { errors: { code: template === 'code' ? CODE_ERROR : 'Enter a correct recovery code' } });
  }
}
