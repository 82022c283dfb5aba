import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { adminRoutes } from './features/admin/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { accountRoutes } from './features/auth/account.ts';
import type { AuthDeps } from './features/auth/deps.ts';
import { invitationRoutes } from './features/auth/invitation.ts';
import { mfaSetUpRoutes } from './features/auth/mfa-set-up.ts';
import { passwordResetRoutes } from './features/auth/password-reset.ts';
import { signInRoutes } from './features/auth/sign-in.ts';
import { notificationRoutes, unreadBadge } from './features/notifications/routes.ts';
import { caseRoutes } from './features/cases/routes.ts';
import { peopleRoutes } from './features/people/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { referralRoutes } from './features/referrals/web/routes.ts';
import { referralSummary } from './features/referrals/web/summary.ts';
import { startRoutes } from './features/start/routes.ts';
import { triageRoutes } from './features/triage/routes.ts';
import { routeAccess } from './platform/access/routes.ts';
import type { Database } from './platform/db/database.ts';
import type { MigrationFile } from './platform/db/migrator.ts';
import { authentication } from './platform/http/authentication.ts';
import { csrf } from './platform/http/csrf.ts';
import { errorPages } from './platform/http/errors.ts';
import { gracefulClose } from './platform/http/graceful-close.ts';
import { createLogger, loggingOptions } from './platform/http/logging.ts';
import { securityHeaders } from './platform/http/security-headers.ts';
import { staticAssets } from './platform/http/static-assets.ts';
import { views } from './platform/http/views.ts';
import { consoleMailer, type Mailer } from './platform/mail/mailer.ts';
import type { Keyring } from './platform/crypto/keyring.ts';
import { ABSOLUTE_LIFETIME_MS } from './platform/session/sessions.ts';

export type AppDependencies = {
  config: Config;
  database: Database;
  migrations: MigrationFile[];
  logger?: FastifyBaseLogger;
  /** The time; tests pass a clock they can move. */
  clock?: () => Date;
  mailer?: Mailer;
  /** The key-encryption keys that unwrap each case's data key (see platform/crypto). */
  keyring: Keyring;
};

/**
 * The web application: an ordered chain of plugins, one concern each.
 * Read it top to bottom as the checklist every request passes through.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database, migrations } = deps;
  const db = database.db;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    ...loggingOptions(deps.logger ?? createLogger(config)),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
  });

  // 1. Every route must declare its permission and audit action; checked before any handler runs.
  await app.register(routeAccess, { db });
  // 2. Security headers on every response, including errors and assets.
  await app.register(securityHeaders);
  // 3. Let in-flight requests finish when the server stops.
  await app.register(gracefulClose);
  // 4. Versioned static assets with long cache lifetimes.
  await app.register(staticAssets);
  // 5. Request bodies (HTML forms; JSON is built in) and signed cookies.
  await app.register(formbody);
  await app.register(cookie, { secret: config.cookieSecret });
  // 6. Per-IP rate limits, on the routes that ask for one (sign-in, password reset).
  await app.register(rateLimit, { global: false });
  // 7. GOV.UK page rendering.
  await app.register(views, {
    protectiveMarking: config.protectiveMarking,
    phase: config.phase,
    demo: database.engine === 'pglite',
    filters: { referralSummary },
  });
  // 8. Who is asking: the session behind the cookie, with its idle and absolute timeouts.
  await app.register(authentication, {
    db,
    clock,
    timeouts: { idleMs: config.idleTimeoutMinutes * 60_000, absoluteMs: ABSOLUTE_LIFETIME_MS },
  });
  // 9. Cross-site request forgery: same-site check and session-bound token on every state change.
  await app.register(csrf, { secret: config.cookieSecret });
  // 10. Error and not-found pages.
  await app.register(errorPages);
  // 11. The unread-notification count in every signed-in page's navigation.
  await app.register(unreadBadge, { db, clock });
  // 12. Features.
  const auth: AuthDeps = { db, clock, mailer: deps.mailer ?? consoleMailer(), config };
  await app.register(async (scope) => healthRoutes(scope, { db, migrations }));
  await app.register(async (scope) => startRoutes(scope, { db }));
  await app.register(async (scope) => signInRoutes(scope, auth));
  await app.register(async (scope) => mfaSetUpRoutes(scope, auth));
  await app.register(async (scope) => invitationRoutes(scope, auth));
  await app.register(async (scope) => passwordResetRoutes(scope, auth));
  await app.register(async (scope) => accountRoutes(scope, auth));
  await app.register(async (scope) => homeRoutes(scope, { db }));
  await app.register(async (scope) => auditRoutes(scope, { db, clock }));
  await app.register(async (scope) => adminRoutes(scope, auth));
  await app.register(async (scope) => notificationRoutes(scope, { db, clock }));
  await app.register(async (scope) => caseRoutes(scope, { db }));
  await app.register(async (scope) => peopleRoutes(scope, { db, keyring: deps.keyring }));
  await app.register(async (scope) => triageRoutes(scope, { db, keyring: deps.keyring, clock }));
  await app.register(async (scope) => referralRoutes(scope, { db, clock, keyring: deps.keyring }));

  return app;
}
