/**
 * Test harness: every test file gets its own database — a fresh in-memory
 * PGlite by default, or a fresh database on the PostgreSQL server named by
 * TEST_DATABASE_URL — and an in-process app driven with Fastify's inject().
 * The same suite runs on both engines; nothing is mocked.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database, type DatabaseTarget } from '../src/platform/db/database.ts';
import { readMigrationFiles } from '../src/platform/db/migrator.ts';
import { openMigratedDatabase } from '../src/server.ts';
import { createLogger } from '../src/platform/http/logging.ts';
import { generateKeyring } from '../src/platform/crypto/keyring.ts';
import { memoryMailer, type Mailer } from '../src/platform/mail/mailer.ts';

export const serverUrl = process.env.TEST_DATABASE_URL;

/** The key-encryption keys every test app uses (random per test process). */
export const testKeyring = generateKeyring();

// Clean-ups run last-in, first-out after the test file: app, then database, then its files.
const cleanups: (() => unknown)[] = [];
let scheduled = false;
export function onCleanup(fn: () => unknown) {
  cleanups.push(fn);
  if (scheduled) return;
  scheduled = true;
  after(async () => {
    while (cleanups.length) await cleanups.pop()!();
    scheduled = false;
  });
}
export const engine: Database['engine'] = serverUrl ? 'postgres' : 'pglite';

/**
 * A new, empty database target that is removed after the test file:
 * a throwaway database on the server, or a temporary PGlite folder
 * (`memory: true` for in-memory PGlite).
 */
export async function createTestTarget(options: { memory?: boolean } = {}): Promise<DatabaseTarget> {
  if (!serverUrl) {
    if (options.memory) return { engine: 'pglite', dataDir: 'memory://' };
    const dir = mkdtempSync(join(tmpdir(), 'marac-test-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    return { engine: 'pglite', dataDir: dir };
  }
  const name = `marac_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`drop database if exists ${name} with (force)`);
    } finally {
      await client.end();
    }
  });
  const owner = new URL(serverUrl);
  owner.pathname = `/${name}`;
  const app = new URL(owner);
  app.username = 'marac_app';
  app.password = '';
  return { engine: 'postgres', url: app.toString(), ownerUrl: owner.toString() };
}

/** A fresh, empty (unmigrated) database, connected as its owner, closed after the test file. */
export async function createTestDatabase(): Promise<Database> {
  const database = await openDatabase(await createTestTarget({ memory: true }), 'owner');
  onCleanup(() => database.close());
  return database;
}

/** Configuration as the service would read it, from the given environment only. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...env });
}

/** Captures log lines so tests can check what the service writes to its logs. */
export function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

export type TestApp = {
  app: FastifyInstance;
  /** The application's connection (marac_app on a server). */
  database: Database;
  /** The owner's connection, for tests that must change what the application may not. */
  owner: Database;
  config: Config;
  logs: ReturnType<typeof logCapture>;
};

/**
 * A migrated database and the app on top of it, closed after the test file.
 * `setup` may add data, or routes a test needs, before the app is ready.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    /** The time the app sees; tests move it to check timeouts. */
    clock?: () => Date;
    mailer?: Mailer;
    setup?: (app: FastifyInstance, database: Database) => Promise<void> | void;
  } = {},
): Promise<TestApp> {
  const migrations = readMigrationFiles();
  const config = testConfig({ LOG_LEVEL: 'info', ...options.env });
  const logs = logCapture();
  const target = await createTestTarget({ memory: true });
  const database = await openMigratedDatabase(target, migrations, createLogger(testConfig()));
  onCleanup(() => database.close());
  const owner = target.engine === 'postgres' ? await openDatabase(target, 'owner') : database;
  if (owner !== database) onCleanup(() => owner.close());
  const app = await buildApp({
    config,
    database,
    migrations,
    logger: createLogger(config, logs.stream),
    clock: options.clock,
    mailer: options.mailer ?? memoryMailer(),
    keyring: testKeyring,
  });
  await options.setup?.(app, database);
  await app.ready();
  onCleanup(() => app.close());
  return { app, database, owner, config, logs };
}
