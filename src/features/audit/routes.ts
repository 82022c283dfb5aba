import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { exportRoute } from './export.ts';
import { viewerRoute } from './viewer.ts';

/** The audit trail for system administrators and information-governance officers: viewer and CSV export. */
export async function auditRoutes(app: FastifyInstance, deps: { db: Kysely<Schema>; clock: () => Date }) {
  await viewerRoute(app, deps);
  await exportRoute(app, deps);
}
