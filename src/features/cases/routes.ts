import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { hasAreaRole, type AreaRole } from '../../platform/access/actor.ts';
import { viewedBy } from '../../platform/audit/viewed-by.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';
import { parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { pathId } from '../../platform/http/path.ts';
import { noticeFrom, withNotice } from '../admin/notices.ts';
import { findUserByEmail } from '../admin/queries.ts';
import { submitted } from '../admin/schemas.ts';
import { casePeople } from '../referrals/people.ts';
import { knownElsewhere, perpetratorVictimCount } from '../people/links.ts';
import { caseExclusions, caseReferrals, victimHistory, visibleCase } from './queries.ts';
import { exclusionForm } from './schemas.ts';

type Deps = { db: Kysely<Schema> };

// The role a read is recorded under: the strongest the reader holds in the case's area (as for referrals).
const CASE_ROLES: AreaRole[] = ['coordinator', 'idva', 'chair', 'agency_representative'];

const STATUS_LABELS: Record<string, string> = {
  submitted: 'New',
  returned: 'More information requested',
  accepted: 'Accepted',
  rejected: 'Not accepted',
  transferred: 'Transferred',
};

/**
 * A case: the people it names, its referrals, and — for the area's coordinators and IDVAs — who has viewed it.
 * A coordinator bars users from it (a conflict of interest); the bar beats every other grant, in SQL and in
 * row-level security alike.
 */
export async function caseRoutes(app: FastifyInstance, { db }: Deps) {
  const tx = <T>(request: FastifyRequest, fn: (trx: Tx) => Promise<T>) =>
    withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, fn);

  app.get('/cases/:caseId', { config: { permission: 'case.read', audit: 'case.viewed' } }, async (request, reply) => {
    const actor = request.actor!;
    const caseId = pathId(request, 'caseId');
    const page = await tx(request, async (trx) => {
      const found = await visibleCase(trx, actor, caseId);
      const named = await casePeople(trx, caseId);
      const people = named.map(({ identityId: _identity, ...person }) => person);
      const victim = named.find((p) => p.role === 'victim');
      // The victim's referrals on any case in the area, once linked by a coordinator; else this case's own.
      const referrals = victim
        ? await victimHistory(trx, actor, victim.identityId)
        : await caseReferrals(trx, actor, caseId);
      const staff = hasAreaRole(actor, found.area_id, 'coordinator', 'idva');
      const serialPerpetrators: string[] = [];
      for (const person of named.filter((p) => p.role === 'perpetrator')) {
        if ((await perpetratorVictimCount(trx, found.area_id, person.identityId)) >= 2)
          serialPerpetrators.push(person.id);
      }
      const elsewhere = victim && staff ? await knownElsewhere(trx, victim.id) : [];
      await request.audit(trx, {
        actorRole: CASE_ROLES.find((role) => hasAreaRole(actor, found.area_id, role)) ?? null,
        subjectType: 'case',
        subjectId: caseId,
        caseId,
        purpose: 'safeguarding',
        outcome: 'success',
      });
      return {
        found,
        people,
        referrals: referrals.map((r) => ({
          ...r,
          statusLabel: STATUS_LABELS[r.status] ?? r.status,
          thisCase: !('case_id' in r) || r.case_id === caseId,
        })),
        serialPerpetrators,
        elsewhere,
        // Read after this visit's own audit row, so the panel includes it.
        viewers: staff ? await viewedBy(trx, { caseId }) : null,
        manageExclusions: hasAreaRole(actor, found.area_id, 'coordinator'),
        triage: staff,
      };
    });
    return reply.view('features/cases/case.njk', page);
  });

  const manage = { permission: 'case.exclusions.manage' } as const;

  const exclusionsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: object = {},
    errors?: FieldErrors,
  ) => {
    const areaId = pathId(request, 'areaId');
    const caseId = pathId(request, 'caseId');
    const page = await tx(request, async (trx) => ({
      found: await visibleCase(trx, request.actor!, caseId, areaId),
      exclusions: await caseExclusions(trx, caseId),
    }));
    return reply
      .code(errors ? 400 : 200)
      .view('features/cases/exclusions.njk', { ...page, values, errors, notice: noticeFrom(request) });
  };

  app.get('/areas/:areaId/cases/:caseId/exclusions', { config: { ...manage, audit: null } }, exclusionsPage);

  app.post(
    '/areas/:areaId/cases/:caseId/exclusions',
    { config: { ...manage, audit: 'admin.exclusion_added' } },
    async (request, reply) => {
      const actor = request.actor!;
      const areaId = pathId(request, 'areaId');
      const caseId = pathId(request, 'caseId');
      const values = submitted(request.body, ['email', 'reason']);
      const parsed = parseForm(exclusionForm, request.body);
      if (!parsed.ok) return exclusionsPage(request, reply, values, parsed.errors);
      const user = await findUserByEmail(db, parsed.data.email);
      if (!user || user.status === 'disabled') {
        return exclusionsPage(request, reply, values, {
          email: 'There is no active or invited user with this email address',
        });
      }
      if (user.id === actor.userId) {
        return exclusionsPage(request, reply, values, {
          email: 'You cannot bar yourself. Ask another coordinator of this area to do it',
        });
      }
      const added = await tx(request, async (trx) => {
        await visibleCase(trx, actor, caseId, areaId);
        const row = await trx
          .insertInto('case_exclusion')
          .values({ case_id: caseId, user_id: user.id, reason: parsed.data.reason, created_by: actor.userId })
          .onConflict((c) => c.doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (row) await request.audit(trx, { subjectType: 'user', subjectId: user.id, caseId, outcome: 'success' });
        return row !== undefined;
      });
      if (!added)
        return exclusionsPage(request, reply, values, { email: 'This user is already barred from this case' });
      return reply.redirect(withNotice(`/areas/${areaId}/cases/${caseId}/exclusions`, 'barred'), 303);
    },
  );

  app.post(
    '/areas/:areaId/cases/:caseId/exclusions/:userId/remove',
    { config: { ...manage, audit: 'admin.exclusion_removed' } },
    async (request, reply) => {
      const areaId = pathId(request, 'areaId');
      const caseId = pathId(request, 'caseId');
      const userId = pathId(request, 'userId');
      await tx(request, async (trx) => {
        await visibleCase(trx, request.actor!, caseId, areaId);
        const removed = await trx
          .deleteFrom('case_exclusion')
          .where('case_id', '=', caseId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) > 0) {
          await request.audit(trx, { subjectType: 'user', subjectId: userId, caseId, outcome: 'success' });
        }
      });
      return reply.redirect(withNotice(`/areas/${areaId}/cases/${caseId}/exclusions`, 'unbarred'), 303);
    },
  );
}
