import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { EXTENSIONS } from './database.ts';
import { checkMigrations, migrate, MigrationError, readMigrationFiles } from './migrator.ts';

function migrationsDir(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'marac-migrations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function tableExists(db: Awaited<ReturnType<typeof createTestDatabase>>['db'], name: string) {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db);
  return rows[0]?.found !== null;
}

describe('migrator', () => {
  test('applies files in number order, each once, and records their checksums', async () => {
    const { db } = await createTestDatabase();
    // 0002 depends on 0001 and is written first: order must come from the number.
    const dir = migrationsDir({
      '0010_child.sql': 'create table child (id int references parent (id));',
      '0002_parent.sql': 'create table parent (id int primary key);',
    });
    const files = readMigrationFiles(dir);
    assert.deepEqual(await migrate(db, files), ['0002_parent.sql', '0010_child.sql']);
    assert.deepEqual(await migrate(db, files), [], 'a second run applies nothing');
    const rows = await db
      .selectFrom('schema_migration')
      .select(['version', 'name', 'checksum'])
      .orderBy('version')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.version, r.name, r.checksum.length]),
      [
        [2, '0002_parent.sql', 64],
        [10, '0010_child.sql', 64],
      ],
    );
  });

  test('refuses to run when an applied file has changed', async () => {
    const { db } = await createTestDatabase();
    const dir = migrationsDir({ '0001_a.sql': 'create table a (id int);' });
    await migrate(db, readMigrationFiles(dir));
    writeFileSync(join(dir, '0001_a.sql'), 'create table a (id bigint);');
    writeFileSync(join(dir, '0002_b.sql'), 'create table b (id int);');
    await assert.rejects(migrate(db, readMigrationFiles(dir)), (e: Error) => {
      assert.ok(e instanceof MigrationError);
      assert.match(e.message, /0001_a\.sql has changed since it was applied/);
      return true;
    });
    assert.equal(await tableExists(db, 'b'), false, 'nothing after the refusal is applied');
  });

  test('refuses a database that has a migration this code does not know', async () => {
    const { db } = await createTestDatabase();
    await migrate(db, readMigrationFiles(migrationsDir({ '0001_a.sql': 'select 1;', '0002_b.sql': 'select 2;' })));
    await assert.rejects(
      checkMigrations(db, readMigrationFiles(migrationsDir({ '0001_a.sql': 'select 1;' }))),
      /0002_b\.sql has been applied to this database but is not in the migrations folder/,
    );
  });

  test('a failing file is rolled back whole and not recorded; earlier files stay applied', async () => {
    const { db } = await createTestDatabase();
    const dir = migrationsDir({
      '0001_ok.sql': 'create table ok (id int);',
      '0002_bad.sql': 'create table half (id int);\ninsert into half values (1);\nselect no_such_function();',
      '0003_later.sql': 'create table later (id int);',
    });
    await assert.rejects(
      migrate(db, readMigrationFiles(dir)),
      /0002_bad\.sql failed and was rolled back: .*no_such_function/,
    );
    assert.equal(await tableExists(db, 'ok'), true);
    assert.equal(await tableExists(db, 'half'), false, 'the failed file left nothing behind');
    assert.equal(await tableExists(db, 'later'), false, 'files after the failure were not applied');
    const names = await db.selectFrom('schema_migration').select('name').execute();
    assert.deepEqual(
      names.map((r) => r.name),
      ['0001_ok.sql'],
    );
  });

  test('refuses badly named or duplicate-numbered files', () => {
    assert.throws(
      () => readMigrationFiles(migrationsDir({ 'add_table.sql': '' })),
      /add_table\.sql: migration files are named NNNN_words\.sql/,
    );
    assert.throws(
      () => readMigrationFiles(migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' })),
      /0001_b\.sql: another migration already uses number 0001/,
    );
  });

  test("the project's migrations apply and enable the extensions", async () => {
    const { db } = await createTestDatabase();
    await migrate(db);
    const state = await checkMigrations(db, readMigrationFiles());
    assert.equal(state.pending, 0);
    assert.equal(state.applied, readMigrationFiles().length);
    const { rows } = await sql<{ extname: string }>`select extname from pg_extension`.execute(db);
    for (const name of EXTENSIONS)
      assert.ok(
        rows.some((r) => r.extname === name),
        `${name} is enabled`,
      );
    const { rows: used } = await sql<{ sim: number; code: string; plain: string }>`
      select similarity('Jonathan', 'Johnathan') > 0.5 as sim, soundex('Smyth') as code, unaccent('Zoë') as plain`.execute(
      db,
    );
    assert.deepEqual(used[0], { sim: true, code: 'S530', plain: 'Zoe' });
  });
});
