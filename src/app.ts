import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { healthRoutes } from './features/health/routes.ts';
import { startRoutes } from './features/start/routes.ts';
import type { Database } from './platform/db/database.ts';
import type { MigrationFile } from './platform/db/migrator.ts';
import { errorPages } from './platform/http/errors.ts';
import { gracefulClose } from './platform/http/graceful-close.ts';
import { createLogger, loggingOptions } from './platform/http/logging.ts';
import { securityHeaders } from './platform/http/security-headers.ts';
import { staticAssets } from './platform/http/static-assets.ts';
import { views } from './platform/http/views.ts';

export type AppDependencies = {
  config: Config;
  database: Database;
  migrations: MigrationFile[];
  logger?: FastifyBaseLogger;
};

/**
 * The web application: an ordered chain of plugins, one concern each.
 * Read it top to bottom as the checklist every request passes through.
 */
export async function buildApp({ config, database, migrations, logger }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggingOptions(logger ?? createLogger(config)),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
  });

  // 1. Security headers on every response, including errors and assets.
  await app.register(securityHeaders);
  // Let in-flight requests finish when the server stops.
  await app.register(gracefulClose);
  // 2. Versioned static assets with long cache lifetimes.
  await app.register(staticAssets);
  // 3. Request bodies: HTML forms (JSON is built in).
  await app.register(formbody);
  // 4. Cookies, signed with the configured secret.
  await app.register(cookie, { secret: config.cookieSecret });
  // 5. GOV.UK page rendering.
  await app.register(views, {
    protectiveMarking: config.protectiveMarking,
    phase: config.phase,
    demo: database.engine === 'pglite',
  });
  // 6. Error and not-found pages.
  await app.register(errorPages);
  // 7. Features.
  await app.register(async (scope) => healthRoutes(scope, { db: database.db, migrations }));
  await app.register(async (scope) => startRoutes(scope, { db: database.db }));

  return app;
}
