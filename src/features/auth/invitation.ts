import type { FastifyInstance } from 'fastify';
import { withTransaction } from '../../platform/db/transaction.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { hashPassword, normalisePassword } from '../../platform/identity/passwords.ts';
import type { AuthDeps } from './deps.ts';
import { findLink, useLink } from './links.ts';
import { newPasswordForm, passwordErrors } from './new-password.ts';
import { startSession } from './session-cookie.ts';

/**
 * Accepting an invitation: the invited person chooses their own password
 * (nobody else ever does), then goes on to set up their authenticator app.
 * The token travels in the query string, which is never logged.
 */
export async function invitationRoutes(app: FastifyInstance, { db, clock }: AuthDeps) {
  const view = 'features/auth/new-password.njk';
  const expired = 'features/auth/link-expired.njk';
  const copy = { title: 'Create your password', action: '/invitation' };

  app.get('/invitation', { config: { permission: 'public', audit: null } }, async (request, reply) => {
    const token = (request.query as { token?: unknown }).token;
    const link = await findLink(db, token, 'invitation', clock());
    if (!link || link.status !== 'invited') return reply.code(404).view(expired, {});
    return reply.view(view, { ...copy, token, email: link.email });
  });

  app.post(
    '/invitation',
    { config: { permission: 'public', audit: 'auth.invitation_accepted' } },
    async (request, reply) => {
      const now = clock();
      const form = parseForm(newPasswordForm, request.body);
      const token = (request.body as { token?: unknown } | undefined)?.token;
      const link = await findLink(db, token, 'invitation', now);
      if (!link || link.status !== 'invited') return reply.code(404).view(expired, {});
      const errors = form.ok ? passwordErrors(form.data, link) : form.errors;
      if (!form.ok || Object.keys(errors).length) {
        return reply.code(400).view(view, { ...copy, token, email: link.email, errors });
      }
      const hash = await hashPassword(normalisePassword(form.data.password));
      await withTransaction(db, { requestId: request.id, actorId: link.userId }, async (trx) => {
        await trx
          .updateTable('app_user')
          .set({ password_hash: hash, status: 'active' })
          .where('id', '=', link.userId)
          .execute();
        await useLink(trx, link.linkId, now);
        await request.audit(trx, {
          actorUserId: link.userId,
          subjectType: 'user',
          subjectId: link.userId,
          outcome: 'success',
        });
        await startSession(trx, request, reply, link.userId, now, false);
      });
      return reply.redirect('/mfa/set-up', 303);
    },
  );
}
