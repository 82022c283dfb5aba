// Starting a referral: in the one area the referrer refers to, or after choosing among several.
import type { FastifyInstance } from 'fastify';
import { areasWhere } from '../../../platform/access/actor.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { inRequest } from '../context.ts';
import { createDraft } from '../drafts.ts';
import type { ReferralDeps } from './deps.ts';
import { pathId } from './own.ts';

export async function startRoutes(app: FastifyInstance, { db, keyring }: ReferralDeps) {
  app.get('/referrals/new', { config: { permission: 'referral.own', audit: null } }, async (request, reply) => {
    const ids = areasWhere(request.actor!, 'referrer');
    if (ids.length === 1) return reply.redirect(`/areas/${ids[0]}/referrals/new`, 303);
    const areas = await db
      .selectFrom('marac_area')
      .select(['id', 'name'])
      .where('id', 'in', ids)
      .orderBy('name')
      .execute();
    return reply.view('features/referrals/web/choose-area.njk', { areas });
  });

  app.get(
    '/areas/:areaId/referrals/new',
    { config: { permission: 'referral.create', audit: null } },
    async (request, reply) => {
      const area = await db
        .selectFrom('marac_area')
        .select(['id', 'name'])
        .where('id', '=', pathId(request, 'areaId'))
        .executeTakeFirst();
      if (!area) throw notFound();
      return reply.view('features/referrals/web/start.njk', { area });
    },
  );

  app.post(
    '/areas/:areaId/referrals/new',
    { config: { permission: 'referral.create', audit: 'referral.created' } },
    async (request, reply) => {
      const areaId = pathId(request, 'areaId');
      const { id } = await inRequest(db, request, keyring, (trx, ctx) => createDraft(trx, ctx, areaId));
      return reply.redirect(`/referrals/${id}`, 303);
    },
  );
}
