import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { AREA_ROLES } from '../../platform/access/actor.ts';
import { can } from '../../platform/access/policy.ts';
import type { Schema } from '../../platform/db/schema.ts';

/** The signed-in landing page: what this user can do, by area. */
export async function homeRoutes(app: FastifyInstance, { db }: { db: Kysely<Schema> }) {
  app.get('/home', { config: { permission: 'account.self', audit: null } }, async (request, reply) => {
    const actor = request.actor!;
    const areas = await db
      .selectFrom('membership as m')
      .innerJoin('marac_area as area', 'area.id', 'm.area_id')
      .select(['area.id', 'area.name', 'm.role'])
      .where('m.user_id', '=', actor.userId)
      .orderBy('area.name')
      .orderBy('m.role')
      .execute();
    const byArea = new Map<
      string,
      { id: string; name: string; roles: string[]; manageMembers: boolean; referralQueue: boolean }
    >();
    for (const row of areas) {
      const area = byArea.get(row.id) ?? {
        id: row.id,
        name: row.name,
        roles: [],
        manageMembers: can(actor, 'area.memberships.manage', { areaId: row.id }),
        referralQueue: can(actor, 'referral.queue', { areaId: row.id }),
      };
      area.roles.push(AREA_ROLES[row.role]);
      byArea.set(row.id, area);
    }
    return reply.view('features/home/home.njk', {
      areas: [...byArea.values()],
      admin: can(actor, 'admin.manage'),
      audit: can(actor, 'audit.view'),
      referrer: can(actor, 'referral.own'),
    });
  });
}
