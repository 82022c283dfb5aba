import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/http/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import type { AdminDeps } from './deps.ts';
import { grantRole, revokeRole } from './grant-role.ts';
import { pathId, pathRole } from './ids.ts';
import { withNotice } from './notices.ts';
import { findArea, findUser, listAreas } from './queries.ts';
import { ALREADY_HOLDS, roleChoices, SERVICE_ROLE_HOLDER } from './roles.ts';
import { inFieldOrder, membershipForm, submitted } from './schemas.ts';

const manage = { permission: 'admin.manage' } as const;

/** The system administrator gives a user a role in any area, or takes one away. */
export async function userRoleRoutes(app: FastifyInstance, { db }: AdminDeps) {
  const userOr404 = async (request: FastifyRequest) => {
    const user = await findUser(db, pathId(request, 'userId'));
    if (!user) throw notFound();
    return user;
  };

  const form = async (
    reply: FastifyReply,
    user: { id: string; name: string },
    values: Record<string, string>,
    errors?: FieldErrors,
  ) =>
    reply.code(errors ? 400 : 200).view('features/admin/user-role.njk', {
      user,
      areas: await listAreas(db),
      roles: roleChoices,
      values,
      errors,
    });

  app.get('/admin/users/:userId/roles/new', { config: { ...manage, audit: null } }, async (request, reply) => {
    const user = await userOr404(request);
    return form(reply, user, {}, user.globalRole ? { areaId: SERVICE_ROLE_HOLDER } : undefined);
  });

  app.post(
    '/admin/users/:userId/roles/new',
    { config: { ...manage, audit: 'admin.membership_added' } },
    async (request, reply) => {
      const user = await userOr404(request);
      const values = submitted(request.body, ['areaId', 'role']);
      const parsed = parseForm(membershipForm, request.body);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      const area = parsed.ok ? await findArea(db, parsed.data.areaId.toLowerCase()) : undefined;
      if (parsed.ok && !area) errors.areaId = 'Select an area';
      if (user.globalRole) errors.areaId = SERVICE_ROLE_HOLDER;
      if (!parsed.ok || !area || Object.keys(errors).length) {
        return form(reply, user, values, inFieldOrder(errors, ['areaId', 'role']));
      }
      const { role } = parsed.data;
      const added = await grantRole(db, request, user.id, area.id, role);
      if (!added) return form(reply, user, values, { role: ALREADY_HOLDS });
      return reply.redirect(withNotice(`/admin/users/${user.id}`, 'role-added'), 303);
    },
  );

  app.post(
    '/admin/users/:userId/roles/:areaId/:role/remove',
    { config: { ...manage, audit: 'admin.membership_removed' } },
    async (request, reply) => {
      const userId = pathId(request, 'userId');
      const areaId = pathId(request, 'areaId');
      const role = pathRole(request);
      await revokeRole(db, request, userId, areaId, role);
      return reply.redirect(withNotice(`/admin/users/${userId}`, 'role-removed'), 303);
    },
  );
}
