import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'x'.repeat(40);

describe('configuration', () => {
  test('defaults run the embedded database on localhost:3000', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3000);
    assert.deepEqual(config.database, { engine: 'pglite', dataDir: './data/pglite' });
    assert.equal(config.protectiveMarking, 'OFFICIAL-SENSITIVE');
    assert.equal(config.phase, 'alpha');
    assert.equal(config.trustProxy, false);
    assert.ok(config.cookieSecret.length >= 32, 'a random secret is made outside production');
  });

  test('DATABASE_URL selects the PostgreSQL server; DATABASE_OWNER_URL migrates it', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://marac_app@127.0.0.1:5432/marac' });
    assert.deepEqual(config.database, {
      engine: 'postgres',
      url: 'postgres://marac_app@127.0.0.1:5432/marac',
      ownerUrl: 'postgres://marac_app@127.0.0.1:5432/marac',
    });
    const split = loadConfig({
      DATABASE_URL: 'postgres://marac_app@127.0.0.1:5432/marac',
      DATABASE_OWNER_URL: 'postgres://postgres@127.0.0.1:5432/marac',
    });
    assert.deepEqual(split.database, {
      engine: 'postgres',
      url: 'postgres://marac_app@127.0.0.1:5432/marac',
      ownerUrl: 'postgres://postgres@127.0.0.1:5432/marac',
    });
    assert.throws(
      () => loadConfig({ DATABASE_OWNER_URL: 'postgres://postgres@127.0.0.1:5432/marac' }),
      /DATABASE_OWNER_URL: only used with DATABASE_URL/,
    );
  });

  test('a wrong value fails fast, naming the setting', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (e: Error) => e instanceof ConfigError && /PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: must be a postgres/);
    assert.throws(() => loadConfig({ MARAC_PHASE: 'live' }), /MARAC_PHASE/);
    assert.throws(() => loadConfig({ NODE_ENV: 'staging' }), /NODE_ENV/);
    assert.throws(() => loadConfig({ MARAC_COOKIE_SECRET: 'short' }), /MARAC_COOKIE_SECRET: must be at least 32/);
  });

  test('every wrong setting is reported at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' }),
      (e: Error) => /PORT/.test(e.message) && /LOG_LEVEL/.test(e.message),
    );
  });

  test('production refuses the embedded database, saying why and what to set', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', MARAC_COOKIE_SECRET: SECRET }),
      (e: Error) =>
        e instanceof ConfigError &&
        e.message.startsWith('DATABASE_URL: required in production') &&
        /PGlite/.test(e.message) &&
        /fsync/.test(e.message),
    );
  });

  test('production requires its secrets', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db' }),
      /MARAC_COOKIE_SECRET: required in production/,
    );
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db', MARAC_COOKIE_SECRET: SECRET }),
      /MARAC_PUBLIC_URL: required in production, as the https:\/\/ address/,
    );
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://h/db',
      MARAC_COOKIE_SECRET: SECRET,
      MARAC_PUBLIC_URL: 'https://marac.example.gov.uk/',
    };
    assert.throws(() => loadConfig(production), /MARAC_KEYS or MARAC_KEY_FILE: required in production/);
    assert.throws(
      () => loadConfig({ ...production, MARAC_KEYS: '1:short' }),
      (e: Error) => e instanceof ConfigError && /^MARAC_KEYS/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ ...production, MARAC_KEYS: `1:${randomBytes(32).toString('base64')}` }),
      (e: Error) => e instanceof ConfigError && /^MARAC_INDEX_KEY: required in production/.test(e.message),
    );
    assert.throws(
      () =>
        loadConfig({
          ...production,
          MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
          MARAC_INDEX_KEY: randomBytes(20).toString('base64'),
        }),
      (e: Error) => e instanceof ConfigError && /^MARAC_INDEX_KEY: the key is 20 bytes/.test(e.message),
    );
    const config = loadConfig({
      ...production,
      MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
      MARAC_INDEX_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(config.keyring?.currentVersion, 1);
    assert.equal(config.keyring?.hasIndexKey, true);
    // Or "index" in the key file.
    const dir = mkdtempSync(join(tmpdir(), 'marac-config-keys-'));
    const keyFile = join(dir, 'keys.json');
    const keys = { '1': randomBytes(32).toString('base64') };
    writeFileSync(keyFile, JSON.stringify({ keys }));
    assert.throws(
      () => loadConfig({ ...production, MARAC_KEY_FILE: keyFile }),
      /MARAC_INDEX_KEY: required in production/,
    );
    writeFileSync(keyFile, JSON.stringify({ keys, index: randomBytes(32).toString('base64') }));
    assert.equal(loadConfig({ ...production, MARAC_KEY_FILE: keyFile }).keyring?.hasIndexKey, true);
    assert.equal(config.cookieSecret, SECRET);
    assert.equal(config.publicUrl, 'https://marac.example.gov.uk');
  });

  test('settings may come from a JSON file; the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marac-config-'));
    const file = join(dir, 'marac.json');
    writeFileSync(file, JSON.stringify({ PORT: 8080, MARAC_PROTECTIVE_MARKING: 'OFFICIAL', HOST: '0.0.0.0' }));
    const config = loadConfig({ MARAC_CONFIG_FILE: file, HOST: '127.0.0.2' });
    assert.equal(config.port, 8080);
    assert.equal(config.protectiveMarking, 'OFFICIAL');
    assert.equal(config.host, '127.0.0.2');
  });

  test('a bad configuration file is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marac-config-'));
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ PROT: 'x' }));
    assert.throws(() => loadConfig({ MARAC_CONFIG_FILE: unknown }), /PROT: not a setting Open MARAC knows/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    assert.throws(
      () => loadConfig({ MARAC_CONFIG_FILE: broken }),
      /MARAC_CONFIG_FILE: .*broken.json is not valid JSON/,
    );
    assert.throws(
      () => loadConfig({ MARAC_CONFIG_FILE: join(dir, 'missing.json') }),
      /MARAC_CONFIG_FILE: cannot read .*ENOENT/,
    );
  });
});
