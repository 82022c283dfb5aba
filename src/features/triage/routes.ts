import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { hasAreaRole } from '../../platform/access/actor.ts';
import { can } from '../../platform/access/policy.ts';
import { viewedBy } from '../../platform/audit/viewed-by.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { FieldErrors } from '../../platform/http/forms.ts';
import { inRequest } from '../referrals/context.ts';
import { readReferral, REDACTED, visibleReferrals } from '../referrals/queries.ts';
import { decide, DecisionNotAllowed, lockForDecision, otherAreas, transfer } from './decisions.ts';
import { areaQueue, CRITERION_LABELS, parseSort, SORTS, transferredOut } from './queue.ts';
import { isUuid } from '../../platform/ids.ts';
import { MESSAGE_MAX, parseDecision, submittedValues } from './schemas.ts';
import { timeline } from './timeline.ts';
import { allowedDecisions, DECISIONS, isDecision, STATUS_TEXT, TRANSITIONS } from './transitions.ts';

export type TriageDeps = { db: Kysely<Schema>; keyring: Keyring; clock: () => Date };

const queue = { permission: 'referral.queue' } as const;
const decideOnly = { permission: 'referral.decide' } as const;

function ids(request: FastifyRequest) {
  const { areaId, referralId } = request.params as { areaId: string; referralId?: string };
  if (referralId !== undefined && !isUuid(referralId)) throw notFound();
  return { areaId, referralId: referralId ?? '' };
}

async function areaOr404(trx: Tx, areaId: string) {
  const area = await trx.selectFrom('marac_area').select(['id', 'name']).where('id', '=', areaId).executeTakeFirst();
  if (!area) throw notFound();
  return area;
}

/**
 * Coordinator triage: the area's queue of referrals, the full referral with its timeline, and the decisions
 * (accept, ask for more information, reject, emergency, transfer). The access policy has already answered 404 to
 * anyone who is not a coordinator (decisions) or a coordinator or IDVA (queue and view) of the area in the URL;
 * each handler then reads only referrals of that area the actor may see.
 */
export async function triageRoutes(app: FastifyInstance, { db, keyring, clock }: TriageDeps) {
  app.get('/areas/:areaId/referrals', { config: { ...queue, audit: 'page.viewed' } }, async (request, reply) => {
    const { areaId } = ids(request);
    const sort = parseSort((request.query as Record<string, unknown>).sort);
    const actor = request.actor!;
    const page = await inRequest(db, request, keyring, async (trx) => {
      const area = await areaOr404(trx, areaId);
      const referrals = await areaQueue(trx, actor, areaId, clock(), sort);
      const sent = hasAreaRole(actor, areaId, 'coordinator') ? await transferredOut(trx, actor, areaId) : [];
      // The queue shows victims' names: one row per view, about the area.
      await request.audit(trx, {
        actorRole: hasAreaRole(actor, areaId, 'coordinator') ? 'coordinator' : 'idva',
        subjectType: 'area',
        subjectId: areaId,
        purpose: 'triage',
        outcome: 'success',
      });
      return { area, referrals, sent };
    });
    return reply.view('features/triage/queue.njk', { ...page, sort, sorts: SORTS });
  });

  app.get(
    '/areas/:areaId/referrals/:referralId',
    { config: { ...queue, audit: 'referral.viewed' } },
    async (request, reply) => {
      const { areaId, referralId } = ids(request);
      const actor = request.actor!;
      const isCoordinator = hasAreaRole(actor, areaId, 'coordinator');
      const page = await inRequest(db, request, keyring, async (trx, ctx) => {
        const area = await areaOr404(trx, areaId);
        const row = await trx
          .selectFrom('referral')
          .select(['id', 'area_id'])
          .where('id', '=', referralId)
          .where('status', '<>', 'draft')
          .where(visibleReferrals(actor))
          .executeTakeFirst();
        if (!row) throw notFound();
        // Another area's referral is shown here only as this area's record of a transfer, to its coordinators.
        let sent: { at: Date; toArea: string } | null = null;
        if (row.area_id !== areaId) {
          if (!isCoordinator) throw notFound();
          const transferRow = await trx
            .selectFrom('referral_transfer as t')
            .innerJoin('marac_area as a', 'a.id', 't.to_area_id')
            .select(['t.at', 'a.name'])
            .where('t.referral_id', '=', referralId)
            .where('t.from_area_id', '=', areaId)
            .orderBy('t.at', 'desc')
            .executeTakeFirst();
          if (!transferRow) throw notFound();
          sent = { at: transferRow.at, toArea: transferRow.name };
        }
        const read = await readReferral(trx, ctx, referralId, 'triage');
        // The sender's record leaves out where the victim is: after the move that belongs to the receiving area,
        // and the referrer may yet update it there.
        const referral = sent
          ? { ...read, victimAddress: null, victimLocation: null, safeContact: REDACTED, personDetails: {} }
          : read;
        const entries = await timeline(trx, keyring, referral, {
          openMessages: isCoordinator,
          sentFromAreaId: sent ? areaId : null,
        });
        // The repeat check is redacted for a reader with no role in the referral's area (the sender's record).
        const repeatOf =
          referral.repeat === null
            ? null
            : 'ofReferralId' in referral.repeat
              ? referral.repeat.ofReferralId
                ? await previousReferral(trx, request, referral.repeat.ofReferralId)
                : null
              : { visible: false as const, redacted: true };
        return {
          area,
          referral,
          sent,
          entries,
          repeatOf,
          decisions: isCoordinator && !sent ? allowedDecisions(referral) : [],
          reviewPeople: isCoordinator && !sent,
          // The case's readers, for its coordinators and IDVAs (not the sender's read-only record).
          viewedBy: sent ? null : await viewedBy(trx, { caseId: referral.caseId }),
        };
      });
      const done = (request.query as Record<string, unknown>).done;
      return reply.view('features/triage/referral.njk', {
        ...page,
        statusText: STATUS_TEXT[page.referral.status],
        criteria: page.referral.criteriaMet.map((c) => CRITERION_LABELS[c] ?? c),
        transitions: TRANSITIONS,
        notice: isDecision(done) ? TRANSITIONS[done].done : null,
      });
    },
  );

  for (const decision of DECISIONS) {
    const url = `/areas/:areaId/referrals/:referralId/${decision}`;
    const form = (
      reply: FastifyReply,
      page: Awaited<ReturnType<typeof formPage>>,
      values: Record<string, string>,
      errors?: FieldErrors,
    ) =>
      reply
        .code(errors ? 400 : 200)
        .view('features/triage/decision.njk', { ...page, decision, transition: TRANSITIONS[decision], values, errors });

    const formPage = (request: FastifyRequest) =>
      inRequest(db, request, keyring, async (trx, ctx) => {
        const { areaId, referralId } = ids(request);
        const area = await areaOr404(trx, areaId);
        // Checks the referral and the transition before showing a form that could not succeed.
        const referral = await lockForDecision(trx, ctx, areaId, referralId, decision);
        const reference = (
          await trx.selectFrom('referral').select('reference').where('id', '=', referral.id).executeTakeFirstOrThrow()
        ).reference;
        return {
          area,
          referral: { id: referral.id, reference },
          areas: decision === 'transfer' ? await otherAreas(trx, areaId) : [],
          maxLength: MESSAGE_MAX,
        };
      });

    app.get(url, { config: { ...decideOnly, audit: null } }, async (request, reply) => {
      try {
        return form(reply, await formPage(request), {});
      } catch (error) {
        if (error instanceof DecisionNotAllowed) return notAllowed(request, reply, error);
        throw error;
      }
    });

    app.post(url, { config: { ...decideOnly, audit: TRANSITIONS[decision].audit } }, async (request, reply) => {
      const { areaId, referralId } = ids(request);
      try {
        const parsed = parseDecision(decision, request.body);
        if (!parsed.ok)
          return form(reply, await formPage(request), submittedValues(decision, request.body), parsed.errors);
        await inRequest(db, request, keyring, async (trx, ctx) => {
          await areaOr404(trx, areaId);
          if (decision === 'transfer') {
            await transfer(trx, ctx, areaId, referralId, parsed.data.toAreaId!, parsed.data.message!);
          } else {
            await decide(trx, ctx, areaId, referralId, decision, parsed.data.message);
          }
        });
      } catch (error) {
        if (error instanceof DecisionNotAllowed) return notAllowed(request, reply, error);
        throw error;
      }
      return reply.redirect(`/areas/${areaId}/referrals/${referralId}?done=${decision}`, 303);
    });
  }

  /** A decision that is not open now: a page that says why, with the way back. Nothing was written. */
  function notAllowed(request: FastifyRequest, reply: FastifyReply, error: DecisionNotAllowed) {
    const { areaId, referralId } = ids(request);
    return reply.code(409).view('features/triage/not-allowed.njk', {
      message: error.message,
      href: `/areas/${areaId}/referrals/${referralId}`,
    });
  }
}

/** The referral this one repeats, with a link when the reader may open it from one of their queues. */
async function previousReferral(trx: Tx, request: FastifyRequest, id: string) {
  const actor = request.actor!;
  const row = await trx
    .selectFrom('referral')
    .select(['id', 'reference', 'area_id'])
    .where('id', '=', id)
    .where('status', '<>', 'draft')
    .where(visibleReferrals(actor))
    .executeTakeFirst();
  if (!row) return { visible: false as const, redacted: false };
  const href = can(actor, 'referral.queue', { areaId: row.area_id })
    ? `/areas/${row.area_id}/referrals/${row.id}`
    : null;
  return { visible: true as const, reference: row.reference, href };
}
