import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { listNotifications, markAllRead, unreadCount } from './notify.ts';

type Deps = { db: Kysely<Schema>; clock: () => Date };

/** The user's notifications: new referrals for coordinators and IDVAs, decisions for referrers. */
export async function notificationRoutes(app: FastifyInstance, { db, clock }: Deps) {
  app.get('/notifications', { config: { permission: 'notifications.self', audit: null } }, async (request, reply) => {
    const notifications = await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, (trx) =>
      listNotifications(trx),
    );
    return reply.view('features/notifications/notifications.njk', { notifications });
  });

  app.post(
    '/notifications/read',
    { config: { permission: 'notifications.self', audit: 'notification.read' } },
    async (request, reply) => {
      await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
        const marked = await markAllRead(trx, clock());
        if (marked > 0) await request.audit(trx, { outcome: 'success' });
      });
      return reply.redirect('/notifications', 303);
    },
  );
}

/** Puts the signed-in user's unread count in the service navigation of every page. */
export const unreadBadge = fp<Deps>(async (app, { db }) => {
  app.addHook('preHandler', async (request, reply) => {
    if (!request.actor || request.method !== 'GET' || request.url.startsWith('/assets/')) return;
    const unread = await withTransaction(db, { requestId: request.id, actorId: request.actor.userId }, (trx) =>
      unreadCount(trx),
    );
    reply.locals = { ...reply.locals, unreadNotifications: unread };
  });
});
