import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { recordAudit } from '../src/platform/audit/audit.ts';
import { openDatabase, type Database, type DatabaseTarget } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { createTestTarget } from './harness.ts';

const BIN = new URL('../bin/marac.js', import.meta.url).pathname;

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `marac` command with only the given environment (plus PATH). */
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function envFor(target: DatabaseTarget): Record<string, string> {
  return target.engine === 'postgres'
    ? { DATABASE_URL: target.url, DATABASE_OWNER_URL: target.ownerUrl }
    : { MARAC_DATA_DIR: target.dataDir };
}

/** Opens the database as its owner, does something, and closes it again (PGlite allows one process at a time). */
async function asOwner(target: DatabaseTarget, fn: (database: Database) => Promise<unknown>) {
  const database = await openDatabase(target, 'owner');
  try {
    await fn(database);
  } finally {
    await database.close();
  }
}

describe('marac audit verify', () => {
  test('--help explains the command and its exit codes', async () => {
    const help = await run(['audit', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: marac audit verify/);
    assert.match(help.stdout, /^ {2}0 {3}The audit trail is intact\.$/m);
    assert.match(help.stdout, /^ {2}1 {3}The audit trail is broken/m);
    assert.deepEqual(await run(['audit', 'verify', '--help']), help);
    const list = await run(['--help']);
    assert.match(list.stdout, /^ {2}audit verify Check that the audit trail's hash chain is unbroken$/m);
  });

  test('usage errors exit 2', async () => {
    const none = await run(['audit']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /marac audit: say what to do: marac audit verify/);
    const unknown = await run(['audit', 'check']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown audit command "check"; the only one is "verify"/);
    const extra = await run(['audit', 'verify', 'now']);
    assert.equal(extra.code, 2);
    const flag = await run(['audit', 'verify', '--fix']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option '--fix'/);
  });

  test('passes on an intact trail, and names the first bad event after the owner edits one', async () => {
    const target = await createTestTarget();
    const env = envFor(target);
    await asOwner(target, async ({ db }) => {
      await migrate(db);
      for (let i = 0; i < 5; i++)
        await db.transaction().execute((trx) =>
          recordAudit(trx, {
            actorUserId: randomUUID(),
            actorAgencyId: null,
            actorRole: 'coordinator',
            action: 'page.viewed',
            subjectType: 'case',
            subjectId: randomUUID(),
            caseId: null,
            purpose: 'triage',
            outcome: 'success',
            requestId: `request-${i}`,
          }),
        );
    });

    const intact = await run(['audit', 'verify'], env);
    assert.equal(intact.code, 0, intact.stderr);
    assert.equal(intact.stdout, 'The audit trail is intact: 5 events checked.\n');

    // The table owner can get past the append-only triggers; the hash chain still tells.
    await asOwner(target, async ({ db }) => {
      await db.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger user`.execute(trx);
        await sql`update audit_event set outcome = 'denied' where seq = 3`.execute(trx);
        await sql`alter table audit_event enable trigger user`.execute(trx);
      });
    });
    const edited = await run(['audit', 'verify'], env);
    assert.equal(edited.code, 1);
    assert.equal(edited.stdout, '');
    assert.match(
      edited.stderr,
      /^The audit trail is broken at seq 3 \(hash_mismatch\): it no longer matches its own hash, so it was changed after it was written\. 3 events checked/,
    );

    await asOwner(target, async ({ db }) => {
      await db.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger user`.execute(trx);
        await sql`update audit_event set outcome = 'success' where seq = 3`.execute(trx);
        await sql`delete from audit_event where seq = 2`.execute(trx);
        await sql`alter table audit_event enable trigger user`.execute(trx);
      });
    });
    const deleted = await run(['audit', 'verify'], env);
    assert.equal(deleted.code, 1);
    assert.match(
      deleted.stderr,
      /^The audit trail is broken at seq 2 \(missing_row\): there is no event at this position/,
    );
  });

  test('a database without the audit trail fails with advice', async () => {
    const empty = await run(['audit', 'verify'], envFor(await createTestTarget()));
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /this database has no audit trail\. Run "marac migrate" first\./);
  });
});
