import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import type { DatabaseTarget } from '../src/platform/db/database.ts';
import { createTestTarget } from './harness.ts';
import { generateTotpSecret, totpCode } from '../src/platform/identity/totp.ts';

const BIN = new URL('../bin/marac.js', import.meta.url).pathname;

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the real `marac` command with only the given environment (plus PATH). */
function marac(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const done = once(child, 'close').then((args): Run => {
    const [code, signal] = args as [number | null, NodeJS.Signals | null];
    return { ...out, code, signal };
  });
  return { child, out, done };
}

const run = (args: string[], env?: Record<string, string>) => marac(args, env).done;

function envFor(target: DatabaseTarget): Record<string, string> {
  return target.engine === 'postgres'
    ? { DATABASE_URL: target.url, DATABASE_OWNER_URL: target.ownerUrl }
    : { MARAC_DATA_DIR: target.dataDir };
}

async function waitFor(predicate: () => boolean, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('marac command line', () => {
  test('--help lists the commands; every command has its own --help', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['serve', 'migrate', 'seed-demo'])
      assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    for (const command of ['serve', 'migrate', 'seed-demo']) {
      const own = await run([command, '--help']);
      assert.equal(own.code, 0, command);
      assert.match(own.stdout, new RegExp(`^Usage: marac ${command}`), command);
    }
  });

  test('usage errors exit 2 with a clear message', async () => {
    const none = await run([]);
    assert.equal(none.code, 2);
    const unknown = await run(['serv']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "serv"/);
    const flag = await run(['serve', '--demoo']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /marac serve: Unknown option '--demoo'/);
    const seed = await run(['seed-demo', '--seed', 'abc'], { MARAC_DATA_DIR: '/nonexistent/never-created' });
    assert.equal(seed.code, 2);
    assert.match(seed.stderr, /--seed must be a whole number/);
  });

  test('configuration errors exit 78 naming the setting', async () => {
    const port = await run(['serve'], { PORT: 'eighty' });
    assert.equal(port.code, 78);
    assert.match(port.stderr, /PORT: /);
    const production = await run(['serve'], { NODE_ENV: 'production' });
    assert.equal(production.code, 78);
    assert.match(production.stderr, /DATABASE_URL: required in production/);
  });

  test('seed-demo is refused in production mode', async () => {
    const result = await run(['seed-demo'], {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MARAC_COOKIE_SECRET: 's'.repeat(40),
      MARAC_PUBLIC_URL: 'https://marac.example',
      MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
      MARAC_INDEX_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /seed-demo is refused when NODE_ENV=production/);
  });

  test('migrate applies once; seed-demo seeds an empty database and refuses a second time', async () => {
    const env = envFor(await createTestTarget());
    const first = await run(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migration\(s\):\n {2}0001_foundation\.sql/);
    const second = await run(['migrate'], env);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /The database schema is current/);
    const seeded = await run(['seed-demo', '--seed', '42'], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.match(seeded.stdout, /Seeded the demo \(seed 42\):\n {2}.+ MARAC: 13 agencies\n {2}.+ MARAC: 13 agencies/);
    const again = await run(['seed-demo'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds data/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`serve stops cleanly on ${signal} and starts again on the same data`, async () => {
      const env = { ...envFor(await createTestTarget()), PORT: '0' };
      for (const round of [1, 2]) {
        const server = marac(['serve', '--demo'], env);
        await waitFor(() => /running at (http:\/\/\S+) /.test(server.out.stderr), 'the service to start');
        const url = /running at (http:\/\/\S+) /.exec(server.out.stderr)![1]!;
        const res = await fetch(`${url}/health`);
        assert.equal(res.status, 200);
        server.child.kill(signal);
        const result = await server.done;
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /"msg":"stopped; database closed"/);
        assert.match(result.stdout, round === 1 ? /"msg":"demo data seeded"/ : /"msg":"database schema is current"/);
        if (round === 2) assert.doesNotMatch(result.stdout, /demo data seeded/);
      }
    });
  }
});

describe('marac totp-code', () => {
  test('prints the current code for a key, and refuses a bad key', async () => {
    const key = generateTotpSecret();
    const before = totpCode(key, Date.now());
    const result = await run(['totp-code', key]);
    const after = totpCode(key, Date.now());
    assert.equal(result.code, 0);
    assert.ok([before, after].includes(result.stdout.trim()), result.stdout);
    const bad = await run(['totp-code', 'not a key!']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an authenticator key/);
    const missing = await run(['totp-code']);
    assert.equal(missing.code, 2);
  });
});

describe('marac keys', () => {
  test('generate prints a key file; --add-to adds a version, keeping the old ones and the index key', async () => {
    const printed = await run(['keys', 'generate']);
    assert.equal(printed.code, 0, printed.stderr);
    const file = JSON.parse(printed.stdout) as { keys: Record<string, string>; index: string };
    assert.deepEqual(Object.keys(file.keys), ['1']);
    assert.equal(Buffer.from(file.keys['1']!, 'base64').length, 32);
    assert.equal(Buffer.from(file.index, 'base64').length, 32, 'a matching index key');
    assert.notEqual(file.index, file.keys['1']);

    const dir = mkdtempSync(join(tmpdir(), 'marac-keys-'));
    const path = join(dir, 'keys.json');
    writeFileSync(path, printed.stdout, { mode: 0o600 });
    const added = await run(['keys', 'generate', '--add-to', path]);
    assert.equal(added.code, 0, added.stderr);
    const after = JSON.parse(readFileSync(path, 'utf8')) as { keys: Record<string, string>; index?: string };
    assert.deepEqual(Object.keys(after.keys), ['1', '2']);
    assert.equal(after.keys['1'], file.keys['1']);
    assert.equal(after.index, file.index, 'the index key is kept, never rotated');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.doesNotMatch(added.stdout, /no matching index key/);

    // A file from before the index key gets none (it may be in MARAC_INDEX_KEY), and is told so.
    writeFileSync(path, JSON.stringify({ keys: { '1': file.keys['1'] } }), { mode: 0o600 });
    const old = await run(['keys', 'generate', '--add-to', path]);
    assert.equal(old.code, 0, old.stderr);
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { index?: string }).index, undefined);
    assert.match(old.stdout, /It holds no matching index key \("index"\): production needs one/);
  });

  test('rotate re-wraps data keys as the owner and is audited', async () => {
    const env = envFor(await createTestTarget());
    assert.equal((await run(['migrate'], env)).code, 0);
    const rotated = await run(['keys', 'rotate'], { ...env, MARAC_KEYS: `1:${randomBytes(32).toString('base64')}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /Data keys now under key version 1: 0 re-wrapped, 0 already current\./);
    const verified = await run(['audit', 'verify'], env);
    assert.match(verified.stdout, /The audit trail is intact: 1 event/);
  });

  test('production needs configured keys', async () => {
    const result = await run(['migrate'], {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MARAC_COOKIE_SECRET: 's'.repeat(40),
      MARAC_PUBLIC_URL: 'https://marac.example',
    });
    assert.equal(result.code, 78);
    assert.match(result.stderr, /MARAC_KEYS or MARAC_KEY_FILE: required in production/);
  });

  test('production needs the matching index key', async () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MARAC_COOKIE_SECRET: 's'.repeat(40),
      MARAC_PUBLIC_URL: 'https://marac.example',
      MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
    };
    const missing = await run(['migrate'], production);
    assert.equal(missing.code, 78);
    assert.match(missing.stderr, /MARAC_INDEX_KEY: required in production/);
    const short = await run(['migrate'], { ...production, MARAC_INDEX_KEY: randomBytes(8).toString('base64') });
    assert.equal(short.code, 78);
    assert.match(short.stderr, /MARAC_INDEX_KEY: the key is 8 bytes/);
  });
});
