import type { FastifyInstance } from 'fastify';
import { agencyRoutes } from './agencies.ts';
import { areaRoutes } from './areas.ts';
import type { AdminDeps } from './deps.ts';
import { memberRoutes } from './members.ts';
import { userAccountRoutes } from './user-account.ts';
import { userRoleRoutes } from './user-roles.ts';
import { userRoutes } from './users.ts';

/**
 * Administration: the system administrator manages areas, agencies, users and
 * invitations (/admin…), and an area's coordinator manages who holds which
 * role in it (/areas/:areaId/members…). Nothing here reads case data.
 */
export async function adminRoutes(app: FastifyInstance, deps: AdminDeps) {
  app.get('/admin', { config: { permission: 'admin.manage', audit: null } }, async (_request, reply) =>
    reply.view('features/admin/index.njk', {}),
  );
  await areaRoutes(app, deps);
  await agencyRoutes(app, deps);
  await userRoutes(app, deps);
  await userAccountRoutes(app, deps);
  await userRoleRoutes(app, deps);
  await memberRoutes(app, deps);
}
