import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { isReachable } from '../../platform/db/database.ts';
import { migrationState, type MigrationFile } from '../../platform/db/migrator.ts';
import type { Schema } from '../../platform/db/schema.ts';

/**
 * GET /health for load balancers and monitoring: is the database reachable,
 * and does its schema match this code? Counts and file names only — never any
 * personal data. 503 when either answer is no.
 */
export async function healthRoutes(app: FastifyInstance, deps: { db: Kysely<Schema>; migrations: MigrationFile[] }) {
  app.get('/health', { config: { permission: 'public', audit: null } }, async (_request, reply) => {
    const reachable = await isReachable(deps.db);
    const state = reachable ? await migrationState(deps.db, deps.migrations) : null;
    const healthy = reachable && state !== null && state.pending === 0;
    return reply.code(healthy ? 200 : 503).send({
      status: healthy ? 'ok' : 'unavailable',
      database: reachable ? 'reachable' : 'unreachable',
      migrations: state
        ? {
            state: state.pending === 0 ? 'current' : 'pending',
            applied: state.applied,
            pending: state.pending,
            latest: state.latest,
          }
        : { state: reachable ? 'mismatch' : 'unknown' },
    });
  });
}
