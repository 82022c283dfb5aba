import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEmpty, seedDemo } from './features/demo/seed.ts';
import { formatCredentials } from './features/demo/users.ts';
import { developmentKeyring, type Keyring } from './platform/crypto/keyring.ts';
import { commonPasswords } from './platform/identity/password-policy.ts';
import { openDatabase, type Database, type DatabaseTarget } from './platform/db/database.ts';
import { migrate, readMigrationFiles, type MigrationFile } from './platform/db/migrator.ts';
import { assertLeastPrivilege } from './platform/db/privileges.ts';
import { createLogger } from './platform/http/logging.ts';

export type RunningServer = {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. Safe to call twice. */
  stop(): Promise<void>;
};

export type ServeOptions = {
  /** Seed the demo when the database is empty (refused in production). */
  demo?: boolean;
  logger?: FastifyBaseLogger;
  /** Where the demo's one-time sign-in details are written (standard error by default). */
  announce?: (text: string) => void;
};

export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  if (options.demo && config.env === 'production') {
    throw new Error(
      'The demo cannot run in production mode (NODE_ENV=production): it holds fictional people and fixed settings.',
    );
  }
  if (config.env === 'production') {
    // The console mailer prints invitation and password-reset links, which are credentials.
    throw new Error(
      'Open MARAC cannot send email yet: production mode needs the SMTP transport that arrives with the mail feature. ' +
        'Until then run without NODE_ENV=production, on a closed test network only.',
    );
  }
  const logger = options.logger ?? createLogger(config);
  const migrations = readMigrationFiles();
  const database = await openMigratedDatabase(config.database, migrations, logger);
  try {
    if (options.demo && (await isEmpty(database.db))) {
      const summary = await seedDemo(database.db, config.demoSeed, resolveKeyring(config));
      logger.info(
        { seed: config.demoSeed, areas: summary.areas.length, users: summary.credentials.length },
        'demo data seeded',
      );
      // Passwords go to the console and a private file for the person running the demo, never to the logs.
      const table = formatCredentials(summary.credentials);
      let where = '';
      if (config.database.engine === 'pglite' && config.database.dataDir !== 'memory://') {
        const file = join(config.database.dataDir, 'demo-credentials.txt');
        writeFileSync(file, table, { mode: 0o600 });
        where = `\n(Also saved in ${file}.)\n`;
      }
      (options.announce ?? ((text: string) => process.stderr.write(text)))(`\n${table}${where}\n`);
    }
    // Load the common-password list now rather than during someone's first password change.
    commonPasswords();
    return await listen(
      await buildApp({ config, database, migrations, logger, keyring: resolveKeyring(config) }),
      database,
      config,
    );
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The key-encryption keys: configured ones, or outside production the
 * development key file beside the embedded database (random, in memory, for a
 * memory-only database).
 */
export function resolveKeyring(config: Config): Keyring {
  if (config.keyring) return config.keyring;
  if (config.env === 'production') throw new Error('MARAC_KEYS or MARAC_KEY_FILE is required in production');
  return developmentKeyring(config.database.engine === 'pglite' ? config.database.dataDir : config.dataDir);
}

/**
 * Migrates as the owner, then opens the application's connection. On a
 * server that is a second, unprivileged connection, checked before use; PGlite
 * has one connection and applies the application role per transaction.
 */
export async function openMigratedDatabase(
  target: DatabaseTarget,
  migrations: MigrationFile[],
  logger: FastifyBaseLogger,
): Promise<Database> {
  const owner = await openDatabase(target, 'owner');
  try {
    const applied = await migrate(owner.db, migrations);
    logger.info(
      { applied, engine: owner.engine },
      applied.length ? 'migrations applied' : 'database schema is current',
    );
  } catch (error) {
    await owner.close();
    throw error;
  }
  if (target.engine === 'pglite') return owner;
  await owner.close();
  const database = await openDatabase(target);
  try {
    await assertLeastPrivilege(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Puts a built app on the network; its stop() closes the app, then the database. */
export async function listen(
  app: FastifyInstance,
  database: Database,
  config: Pick<Config, 'host' | 'port'>,
): Promise<RunningServer> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await app.close();
      } finally {
        await database.close();
      }
    })());
  return { app, database, url: `http://${host}:${port}`, stop };
}

/**
 * Stops the server cleanly on SIGINT or SIGTERM and resolves with the exit
 * code; a second signal, or a shutdown stuck for graceMs, exits at once.
 */
export function stopOnSignals(server: RunningServer, logger: FastifyBaseLogger, graceMs = 15_000): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(143));
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      const timer = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      }, graceMs);
      server.stop().then(
        () => {
          clearTimeout(timer);
          logger.info('stopped; database closed');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}
