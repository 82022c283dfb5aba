import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { listAreasWithAgencies } from './queries.ts';

export async function startRoutes(app: FastifyInstance, deps: { db: Kysely<Schema> }) {
  app.get('/', { config: { permission: 'public', audit: null } }, async (_request, reply) => {
    const areas = await listAreasWithAgencies(deps.db);
    return reply.view('features/start/start.njk', { areas });
  });
}
