// The task list of one referral, and "Your referrals": the referrer's own, with status and any request for more
// information. Nothing of the meeting's content is shown here.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { areasWhere } from '../../../platform/access/actor.ts';
import { areaRules } from '../area-rules.ts';
import { inRequest } from '../context.ts';
import { informationRequests } from '../requests.ts';
import { tasks } from './completeness.ts';
import type { ReferralDeps } from './deps.ts';
import { STATUS, TASK_STATUS } from './labels.ts';
import { isEditable, ownReferral, pathId } from './own.ts';

const own = { permission: 'referral.own' } as const;

export async function overviewRoutes(app: FastifyInstance, { db, keyring }: ReferralDeps) {
  app.get('/referrals/:referralId', { config: { ...own, audit: 'referral.viewed' } }, async (request, reply) => {
    const id = pathId(request, 'referralId');
    const page = await inRequest(db, request, keyring, async (trx, ctx) => {
      const view = await ownReferral(trx, ctx, id);
      const rules = await areaRules(trx, view.areaId);
      return { view, rules, requests: await informationRequests(trx, ctx, view) };
    });
    const { view, rules, requests } = page;
    const list = tasks(view, rules);
    return reply.view('features/referrals/web/task-list.njk', {
      referral: view,
      areaName: rules.name,
      editable: isEditable(view),
      status: STATUS[view.status],
      request: view.status === 'returned' ? (requests[0] ?? null) : null,
      tasks: list.map((t) => ({ ...t, statusText: TASK_STATUS[t.status] })),
      completed: list.filter((t) => t.status === 'completed').length,
      changeLinks: false,
    });
  });

  app.get('/referrals', { config: { ...own, audit: 'page.viewed' } }, async (request, reply) => {
    const actor = request.actor!;
    const rows = await inRequest(db, request, keyring, async (trx) => {
      const found = await trx
        .selectFrom('referral')
        .innerJoin('marac_area', 'marac_area.id', 'referral.area_id')
        .leftJoin('case_person', (join) =>
          join.onRef('case_person.case_id', '=', 'referral.case_id').on('case_person.role', '=', 'victim'),
        )
        .leftJoin('person', 'person.id', 'case_person.person_id')
        .select([
          'referral.id',
          'referral.case_id',
          'referral.status',
          'referral.reference',
          'referral.created_at',
          'referral.updated_at',
          'referral.submitted_at',
          'marac_area.name as area',
          'person.given_names',
          'person.family_name',
          sql<Date | null>`(select max(e.at) from referral_event e where e.referral_id = referral.id and e.kind = 'information_requested')`.as(
            'requested_at',
          ),
        ])
        .where('referral.referrer_user_id', '=', actor.userId)
        .where('referral.area_id', 'in', areasWhere(actor, 'referrer'))
        .orderBy('referral.updated_at', 'desc')
        .execute();
      await request.audit(trx, { outcome: 'success', subjectType: 'referral', purpose: 'direct_care' });
      return found;
    });
    return reply.view('features/referrals/web/your-referrals.njk', {
      referrals: rows.map((r) => ({
        ...r,
        victim: r.given_names ? `${r.given_names} ${r.family_name}` : 'Victim not named yet',
        statusTag: STATUS[r.status],
        requested: r.status === 'returned' && r.requested_at !== null,
      })),
    });
  });
}
