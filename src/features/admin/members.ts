import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/http/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import type { AdminDeps } from './deps.ts';
import { grantRole, revokeRole } from './grant-role.ts';
import { pathId, pathRole } from './ids.ts';
import { noticeFrom, withNotice } from './notices.ts';
import { areaMembers, findArea, findUserByEmail } from './queries.ts';
import { ALREADY_HOLDS, roleChoices, SERVICE_ROLE_HOLDER } from './roles.ts';
import { memberForm, submitted } from './schemas.ts';

const members = { permission: 'area.memberships.manage' } as const;
const NO_SUCH_USER =
  'There is no active or invited user with this email address. Check it, or ask your system administrator to invite them';

/**
 * An area's coordinator (or the system administrator) manages who holds which
 * role in the area. The access policy has already answered 404 to anyone
 * else, including the coordinator of another area.
 */
export async function memberRoutes(app: FastifyInstance, { db }: AdminDeps) {
  const areaOr404 = async (request: FastifyRequest) => {
    const area = await findArea(db, pathId(request, 'areaId'));
    if (!area) throw notFound();
    return area;
  };

  app.get('/areas/:areaId/members', { config: { ...members, audit: null } }, async (request, reply) => {
    const area = await areaOr404(request);
    return reply.view('features/admin/members.njk', {
      area,
      members: await areaMembers(db, area.id),
      self: request.actor!.userId,
      notice: noticeFrom(request),
    });
  });

  const form = (reply: FastifyReply, area: { id: string; name: string }, values: object, errors?: FieldErrors) =>
    reply.code(errors ? 400 : 200).view('features/admin/member-add.njk', { area, roles: roleChoices, values, errors });

  app.get('/areas/:areaId/members/new', { config: { ...members, audit: null } }, async (request, reply) =>
    form(reply, await areaOr404(request), {}),
  );

  app.post(
    '/areas/:areaId/members/new',
    { config: { ...members, audit: 'admin.membership_added' } },
    async (request, reply) => {
      const area = await areaOr404(request);
      const values = submitted(request.body, ['email', 'role']);
      const parsed = parseForm(memberForm, request.body);
      if (!parsed.ok) return form(reply, area, values, parsed.errors);
      const user = await findUserByEmail(db, parsed.data.email);
      if (!user || user.status === 'disabled') return form(reply, area, values, { email: NO_SUCH_USER });
      if (user.global_role) return form(reply, area, values, { email: SERVICE_ROLE_HOLDER });
      const { role } = parsed.data;
      const added = await grantRole(db, request, user.id, area.id, role);
      if (!added) return form(reply, area, values, { role: ALREADY_HOLDS });
      return reply.redirect(withNotice(`/areas/${area.id}/members`, 'role-added'), 303);
    },
  );

  app.post(
    '/areas/:areaId/members/:userId/:role/remove',
    { config: { ...members, audit: 'admin.membership_removed' } },
    async (request, reply) => {
      const areaId = pathId(request, 'areaId');
      const userId = pathId(request, 'userId');
      const role = pathRole(request);
      await revokeRole(db, request, userId, areaId, role);
      return reply.redirect(withNotice(`/areas/${areaId}/members`, 'role-removed'), 303);
    },
  );
}
