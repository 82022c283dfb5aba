import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTransaction } from '../../platform/db/transaction.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { hashPassword, normalisePassword } from '../../platform/identity/passwords.ts';
import { endUserSessions } from '../../platform/session/sessions.ts';
import type { AuthDeps } from './deps.ts';
import { createLink, findLink, useLink } from './links.ts';
import { newPasswordForm, passwordErrors } from './new-password.ts';

const requestForm = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your work email address')
    .max(254)
    .email('Enter an email address in the correct format, like name@example.gov.uk'),
});

/**
 * Resetting a forgotten password by an emailed, single-use link. The answer
 * to a request is the same whether or not the address has an account. A reset
 * ends every session of the account; the second factor is still needed to sign in.
 */
export async function passwordResetRoutes(app: FastifyInstance, { db, clock, mailer, config }: AuthDeps) {
  const view = (name: string) => `features/auth/${name}.njk`;
  const copy = { title: 'Create a new password', action: '/password-reset/new' };

  app.get('/password-reset', { config: { permission: 'public', audit: null } }, async (_request, reply) =>
    reply.view(view('password-reset'), { values: {} }),
  );

  app.post(
    '/password-reset',
    {
      config: {
        permission: 'public',
        audit: 'auth.password_reset_requested',
        rateLimit: { max: 5, timeWindow: '15 minutes' },
      },
    },
    async (request, reply) => {
      const form = parseForm(requestForm, request.body);
      if (!form.ok) {
        const email = (request.body as { email?: unknown } | undefined)?.email;
        return reply.code(400).view(view('password-reset'), {
          errors: form.errors,
          values: { email: typeof email === 'string' ? email : '' },
        });
      }
      const now = clock();
      const user = await db
        .selectFrom('app_user')
        .select(['id', 'email'])
        .where('email', '=', form.data.email)
        .where('status', '=', 'active')
        .executeTakeFirst();
      const token = await withTransaction(db, { requestId: request.id }, async (trx) => {
        await request.audit(trx, {
          subjectType: 'user',
          subjectId: user?.id ?? null,
          outcome: user ? 'success' : 'failed',
        });
        return user ? createLink(trx, user.id, 'password_reset', null, now) : null;
      });
      if (user && token) {
        await mailer.send({
          to: user.email,
          subject: 'Reset your Open MARAC password',
          text:
            `Someone asked to reset the password for your Open MARAC account. If it was you, open this link within an hour:\n\n` +
            `${config.publicUrl}/password-reset/new?token=${token}\n\n` +
            `If it was not you, you can ignore this email; your password has not changed.`,
        });
      }
      return reply.view(view('password-reset-sent'), {});
    },
  );

  app.get('/password-reset/new', { config: { permission: 'public', audit: null } }, async (request, reply) => {
    const token = (request.query as { token?: unknown }).token;
    const link = await findLink(db, token, 'password_reset', clock());
    if (!link || link.status !== 'active') return reply.code(404).view(view('link-expired'), {});
    return reply.view(view('new-password'), { ...copy, token, email: link.email });
  });

  app.post(
    '/password-reset/new',
    { config: { permission: 'public', audit: 'auth.password_reset' } },
    async (request, reply) => {
      const now = clock();
      const form = parseForm(newPasswordForm, request.body);
      const token = (request.body as { token?: unknown } | undefined)?.token;
      const link = await findLink(db, token, 'password_reset', now);
      if (!link || link.status !== 'active') return reply.code(404).view(view('link-expired'), {});
      const errors = form.ok ? passwordErrors(form.data, link) : form.errors;
      if (!form.ok || Object.keys(errors).length) {
        return reply.code(400).view(view('new-password'), { ...copy, token, email: link.email, errors });
      }
      const hash = await hashPassword(normalisePassword(form.data.password));
      await withTransaction(db, { requestId: request.id, actorId: link.userId }, async (trx) => {
        await trx
          .updateTable('app_user')
          .set({ password_hash: hash, locked_until: null })
          .where('id', '=', link.userId)
          .execute();
        await useLink(trx, link.linkId, now);
        await endUserSessions(trx, link.userId, 'sign_out_everywhere', now);
        await request.audit(trx, {
          actorUserId: link.userId,
          subjectType: 'user',
          subjectId: link.userId,
          outcome: 'success',
        });
      });
      return reply.redirect('/sign-in?notice=password-changed', 303);
    },
  );
}
