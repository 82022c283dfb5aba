import type { FastifyInstance } from 'fastify';
import { SECOND_FACTOR } from '../../platform/access/routes.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { codeForm } from './code-form.ts';
import { totpQrSvg } from '../../platform/identity/qr.ts';
import { generateRecoveryCodes, hashRecoveryCode } from '../../platform/identity/recovery-codes.ts';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../platform/identity/totp.ts';
import type { AuthDeps } from './deps.ts';
import { clearFailures } from './lockout.ts';
import { startSession } from './session-cookie.ts';

/**
 * Setting up the authenticator app, on first sign-in. The secret is kept
 * (unconfirmed) until the user proves their app has it by typing a code; then
 * they get their one-time recovery codes, shown once.
 */
export async function mfaSetUpRoutes(app: FastifyInstance, { db, clock }: AuthDeps) {
  const view = 'features/auth/mfa-set-up.njk';

  async function pendingUser(userId: string) {
    let user = await db
      .selectFrom('app_user')
      .select(['id', 'email', 'agency_id', 'totp_secret', 'mfa_enrolled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (!user.mfa_enrolled_at && !user.totp_secret) {
      const secret = generateTotpSecret();
      await db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', user.id).execute();
      user = { ...user, totp_secret: secret };
    }
    return user;
  }

  const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

  app.get('/mfa/set-up', { config: { permission: SECOND_FACTOR, audit: null } }, async (request, reply) => {
    const user = await pendingUser(request.session!.userId);
    if (user.mfa_enrolled_at) return reply.redirect('/sign-in/code', 303);
    return reply.view(view, { key: grouped(user.totp_secret!) });
  });

  // The QR code as an image of its own, so no generated markup is ever put into a page.
  app.get('/mfa/set-up/qr.svg', { config: { permission: SECOND_FACTOR, audit: null } }, async (request, reply) => {
    const user = await pendingUser(request.session!.userId);
    if (user.mfa_enrolled_at) return reply.callNotFound();
    const svg = await totpQrSvg(otpauthUri({ secret: user.totp_secret!, accountName: user.email }));
    return reply.type('image/svg+xml').send(svg);
  });

  app.post(
    '/mfa/set-up',
    { config: { permission: SECOND_FACTOR, audit: 'auth.mfa_enrolled' } },
    async (request, reply) => {
      const user = await pendingUser(request.session!.userId);
      if (user.mfa_enrolled_at) return reply.redirect('/sign-in/code', 303);
      const form = parseForm(codeForm, request.body);
      const now = clock();
      const result = form.ok ? verifyTotp(user.totp_secret!, form.data.code, now.getTime()) : { ok: false as const };
      if (!result.ok) {
        const errors = form.ok ? { code: 'Enter a correct security code' } : form.errors;
        return reply.code(400).view(view, { key: grouped(user.totp_secret!), errors });
      }
      const codes = generateRecoveryCodes();
      await withTransaction(db, { requestId: request.id, actorId: user.id }, async (trx) => {
        await trx
          .updateTable('app_user')
          .set({ mfa_enrolled_at: now, totp_last_step: result.step })
          .where('id', '=', user.id)
          .execute();
        await trx.deleteFrom('recovery_code').where('user_id', '=', user.id).execute();
        await trx
          .insertInto('recovery_code')
          .values(codes.map((code) => ({ user_id: user.id, code_hash: hashRecoveryCode(code) })))
          .execute();
        await clearFailures(trx, user.id);
        await request.audit(trx, { subjectType: 'user', subjectId: user.id, outcome: 'success' });
        const sessionId = await startSession(trx, request, reply, user.id, now, true);
        await request.audit(trx, {
          action: 'auth.sign_in',
          actorAgencyId: user.agency_id,
          subjectType: 'session',
          subjectId: sessionId,
          outcome: 'success',
        });
      });
      return reply.view('features/auth/recovery-codes.njk', { codes });
    },
  );
}
