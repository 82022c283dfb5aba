import type { FastifyInstance, FastifyRequest } from 'fastify';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { createLink } from '../auth/links.ts';
import { disableUser, enableUser, isInvited } from './commands.ts';
import type { AdminDeps } from './deps.ts';
import { pathId } from './ids.ts';
import { sendInvitation } from './invitation-email.ts';
import { withNotice } from './notices.ts';
import { findUser } from './queries.ts';

const manage = { permission: 'admin.manage' } as const;
const cannotDisableSelf = () =>
  new AppError(400, 'cannot_disable_self', 'You cannot disable your own account. Ask another system administrator.');

/** A user's account: disabling (ending every session at once), enabling, and sending a new invitation. */
export async function userAccountRoutes(app: FastifyInstance, { db, clock, mailer, config }: AdminDeps) {
  const userOr404 = async (request: FastifyRequest) => {
    const user = await findUser(db, pathId(request, 'userId'));
    if (!user) throw notFound();
    return user;
  };

  app.get('/admin/users/:userId/disable', { config: { ...manage, audit: null } }, async (request, reply) => {
    const user = await userOr404(request);
    if (user.id === request.actor!.userId) throw cannotDisableSelf();
    if (user.status === 'disabled') return reply.redirect(`/admin/users/${user.id}`, 303);
    return reply.view('features/admin/user-disable.njk', { user });
  });

  app.post(
    '/admin/users/:userId/disable',
    { config: { ...manage, audit: 'admin.user_disabled' } },
    async (request, reply) => {
      const user = await userOr404(request);
      const actorId = request.actor!.userId;
      const self = user.id === actorId;
      const disabled = await withTransaction(db, { requestId: request.id, actorId }, async (trx) => {
        if (self) {
          await request.audit(trx, { subjectType: 'user', subjectId: user.id, outcome: 'denied' });
          return false;
        }
        const changed = await disableUser(trx, user.id, clock());
        if (changed) await request.audit(trx, { subjectType: 'user', subjectId: user.id, outcome: 'success' });
        return changed;
      });
      if (self) throw cannotDisableSelf();
      return reply.redirect(
        disabled ? withNotice(`/admin/users/${user.id}`, 'disabled') : `/admin/users/${user.id}`,
        303,
      );
    },
  );

  app.post(
    '/admin/users/:userId/enable',
    { config: { ...manage, audit: 'admin.user_enabled' } },
    async (request, reply) => {
      const user = await userOr404(request);
      const status = await withTransaction(
        db,
        { requestId: request.id, actorId: request.actor!.userId },
        async (trx) => {
          const enabledAs = await enableUser(trx, user.id);
          if (enabledAs) await request.audit(trx, { subjectType: 'user', subjectId: user.id, outcome: 'success' });
          return enabledAs;
        },
      );
      const url = `/admin/users/${user.id}`;
      if (!status) return reply.redirect(url, 303);
      return reply.redirect(withNotice(url, status === 'active' ? 'enabled' : 'enabled-invited'), 303);
    },
  );

  app.post(
    '/admin/users/:userId/invitation',
    { config: { ...manage, audit: 'admin.invitation_resent' } },
    async (request, reply) => {
      const user = await userOr404(request);
      const actorId = request.actor!.userId;
      // Checked in the transaction, so an invitation accepted a moment ago is not sent again.
      const token = await withTransaction(db, { requestId: request.id, actorId }, async (trx) => {
        if (!(await isInvited(trx, user.id))) return null;
        const newToken = await createLink(trx, user.id, 'invitation', actorId, clock());
        await request.audit(trx, { subjectType: 'user', subjectId: user.id, outcome: 'success' });
        return newToken;
      });
      if (!token) {
        throw new AppError(409, 'not_invited', 'This user is not waiting for an invitation, so none was sent.');
      }
      const sent = await sendInvitation(request, mailer, config.publicUrl, {
        userId: user.id,
        email: user.email,
        token,
      });
      return reply.redirect(withNotice(`/admin/users/${user.id}`, sent ? 'resent' : 'not-sent'), 303);
    },
  );
}
