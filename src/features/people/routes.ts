import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { hasAreaRole } from '../../platform/access/actor.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { pathId } from '../../platform/http/path.ts';
import { inRequest } from '../referrals/context.ts';
import { visibleReferrals } from '../referrals/queries.ts';
import { areaRules } from '../referrals/area-rules.ts';
import { decideLink, undoLink } from './links.ts';
import { reviewPeople } from './review.ts';

type Deps = { db: Kysely<Schema>; keyring: Keyring };

const decisionForm = z.object({
  decision: z.enum(['same', 'not_same', 'new']),
  candidatePersonId: z.uuid().optional(),
});

const NOTICES = {
  same: 'Linked as the same person. The repeat check has been run again.',
  not_same: 'Recorded as not the same person.',
  new: 'Recorded as a person new to this MARAC.',
  undone: 'Decision undone. The repeat check has been run again.',
} as const;

/**
 * The coordinator's review of who the people on a referral are: candidates already on record with their evidence,
 * and the decisions "same person", "not the same" and "new person", each audited and undoable. Nothing is linked
 * without one of these decisions (an exact match at submission shows here for the coordinator to confirm or undo).
 */
export async function peopleRoutes(app: FastifyInstance, { db, keyring }: Deps) {
  const base = (request: FastifyRequest) => {
    const areaId = pathId(request, 'areaId');
    const referralId = pathId(request, 'referralId');
    return { areaId, referralId, url: `/areas/${areaId}/referrals/${referralId}/people` };
  };

  app.get(
    '/areas/:areaId/referrals/:referralId/people',
    { config: { permission: 'referral.decide', audit: 'page.viewed' } },
    async (request, reply) => {
      const { areaId, referralId } = base(request);
      const page = await inRequest(db, request, keyring, async (trx, ctx) => {
        const referral = await trx
          .selectFrom('referral')
          .select(['id', 'area_id', 'case_id', 'reference', 'status'])
          .where('id', '=', referralId)
          .where('area_id', '=', areaId)
          .where('status', '<>', 'draft')
          .where(visibleReferrals(ctx.actor))
          .executeTakeFirst();
        if (!referral || !hasAreaRole(ctx.actor, referral.area_id, 'coordinator')) throw notFound();
        const reviews = await reviewPeople(trx, ctx.actor, referral);
        await request.audit(trx, {
          actorRole: 'coordinator',
          subjectType: 'referral',
          subjectId: referral.id,
          caseId: referral.case_id,
          purpose: 'triage',
          outcome: 'success',
        });
        return { referral, reviews };
      });
      const done = (request.query as { done?: unknown }).done;
      const notice =
        typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done as keyof typeof NOTICES] : null;
      return reply.view('features/people/review.njk', { ...page, areaId, notice });
    },
  );

  app.post(
    '/areas/:areaId/referrals/:referralId/people/:personId',
    { config: { permission: 'referral.decide', audit: 'person.match_confirmed' } },
    async (request, reply) => {
      const { areaId, referralId, url } = base(request);
      const personId = pathId(request, 'personId');
      const parsed = decisionForm.safeParse(request.body);
      if (!parsed.success) {
        throw new AppError(400, 'invalid_decision', 'Choose same person, not the same, or new person');
      }
      const { decision, candidatePersonId } = parsed.data;
      await inRequest(db, request, keyring, async (trx, ctx) =>
        decideLink(
          trx,
          ctx,
          { referralId, personId, decision, ...(candidatePersonId ? { candidatePersonId } : {}) },
          (await areaRules(trx, areaId)).settings,
        ),
      );
      return reply.redirect(`${url}?done=${decision}#person-${personId}`, 303);
    },
  );

  app.post(
    '/areas/:areaId/referrals/:referralId/links/:linkId/undo',
    { config: { permission: 'referral.decide', audit: 'person.match_undone' } },
    async (request, reply) => {
      const { areaId, referralId, url } = base(request);
      const linkId = pathId(request, 'linkId');
      await inRequest(db, request, keyring, async (trx, ctx) =>
        undoLink(trx, ctx, referralId, linkId, (await areaRules(trx, areaId)).settings),
      );
      return reply.redirect(`${url}?done=undone`, 303);
    },
  );
}
