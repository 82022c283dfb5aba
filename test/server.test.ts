import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/app.ts';
import { generateKeyring } from '../src/platform/crypto/keyring.ts';
import { readMigrationFiles } from '../src/platform/db/migrator.ts';
import { createLogger } from '../src/platform/http/logging.ts';
import { listen, openMigratedDatabase, startServer } from '../src/server.ts';
import { createTestTarget, logCapture, testConfig } from './harness.ts';
import type { DatabaseTarget } from '../src/platform/db/database.ts';

function envFor(target: DatabaseTarget): Record<string, string> {
  return target.engine === 'postgres'
    ? { DATABASE_URL: target.url, DATABASE_OWNER_URL: target.ownerUrl }
    : { MARAC_DATA_DIR: target.dataDir };
}

describe('start-up and shutdown', () => {
  test('starts on an empty database with the demo, stops, and starts again with the data kept', async () => {
    const target = await createTestTarget();
    const config = testConfig({ ...envFor(target), PORT: '0' });

    const first = await startServer(config, { demo: true });
    const health = await fetch(`${first.url}/health`);
    assert.equal(health.status, 200);
    const areas = await first.database.db.selectFrom('marac_area').select(['id', 'name']).orderBy('id').execute();
    assert.equal(areas.length, 2);
    await first.stop();
    await first.stop(); // a second signal's stop is harmless

    const logs = logCapture();
    const second = await startServer(config, {
      demo: true,
      logger: createLogger(testConfig({ LOG_LEVEL: 'info' }), logs.stream),
    });
    try {
      const again = await second.database.db.selectFrom('marac_area').select(['id', 'name']).orderBy('id').execute();
      assert.deepEqual(again, areas, 'the data persisted and the demo was not seeded twice');
      assert.ok(
        logs.lines.some((l) => l.msg === 'database schema is current'),
        'no migration ran the second time',
      );
      assert.equal((await fetch(`${second.url}/`)).status, 200);
    } finally {
      await second.stop();
    }
  });

  test('stopping finishes requests in flight, refuses new ones, then closes the database', async () => {
    const target = await createTestTarget();
    const config = testConfig({ ...envFor(target), PORT: '0' });
    const migrations = readMigrationFiles();
    const database = await openMigratedDatabase(target, migrations, createLogger(config));
    const app = await buildApp({ config, database, migrations, keyring: generateKeyring() });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    app.get('/test-only/slow', { config: { permission: 'public', audit: null } }, async () => {
      entered();
      await sleep(300);
      const row = await database.db
        .selectFrom('marac_area')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return { finished: true, n: Number(row?.n) };
    });
    const server = await listen(app, database, config);

    const inFlight = fetch(`${server.url}/test-only/slow`);
    await inside;
    const stopped = server.stop();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('connection'), 'close', 'the keep-alive socket ends with this response');
    assert.deepEqual(await res.json(), { finished: true, n: 0 }, 'the request used the database before it closed');
    await stopped;
    await assert.rejects(fetch(`${server.url}/health`), 'no new connections after stop');
    await assert.rejects(database.db.selectFrom('marac_area').selectAll().execute(), 'the database is closed');
  });

  test('the demo refuses to run in production mode', async () => {
    const config = testConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MARAC_COOKIE_SECRET: 'p'.repeat(40),
      MARAC_PUBLIC_URL: 'https://marac.example',
      MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
      MARAC_INDEX_KEY: randomBytes(32).toString('base64'),
    });
    await assert.rejects(startServer(config, { demo: true }), /demo cannot run in production mode/);
  });

  test('production mode refuses to start until email can be sent securely', async () => {
    const config = testConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MARAC_COOKIE_SECRET: 'p'.repeat(40),
      MARAC_PUBLIC_URL: 'https://marac.example',
      MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
      MARAC_INDEX_KEY: randomBytes(32).toString('base64'),
    });
    await assert.rejects(startServer(config), /cannot send email yet: production mode needs the SMTP transport/);
  });
});
