import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export const MIGRATIONS_DIR = new URL('../../../migrations/', import.meta.url).pathname;

export type MigrationFile = { version: number; name: string; checksum: string; sql: string };
export type MigrationState = {
  applied: number;
  pending: number;
  latest: string | null;
};

export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Any constant will do: it only has to be the same for every app server, so
// two servers starting together apply each file once.
const LOCK_KEY = 7_041_985;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the numbered .sql files in order; refuses gaps in naming or duplicate numbers. */
export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`${file}: migration files are named NNNN_words.sql`);
    const version = Number(match[1]);
    if (seen.has(version)) throw new MigrationError(`${file}: another migration already uses number ${match[1]}`);
    seen.add(version);
    const text = readFileSync(join(dir, file), 'utf8');
    return { version, name: file, checksum: sha256(text), sql: text };
  });
}

async function ensureTable(db: Kysely<Schema>) {
  await sql`
    create table if not exists schema_migration (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(db);
}

/**
 * Compares the files with what the database has applied. Throws when an
 * applied file has changed or gone: the database no longer matches the code,
 * and carrying on could corrupt case data.
 */
export async function checkMigrations(db: Kysely<Schema>, files: MigrationFile[]): Promise<MigrationState> {
  const applied = await db.selectFrom('schema_migration').selectAll().orderBy('version').execute();
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(
        `${row.name} has been applied to this database but is not in the migrations folder: ` +
          'this copy of Open MARAC is older than the database.',
      );
    }
    if (file.checksum !== row.checksum || file.name !== row.name) {
      throw new MigrationError(
        `${file.name} has changed since it was applied (checksum ${row.checksum.slice(0, 12)}… now ${file.checksum.slice(0, 12)}…). ` +
          'Applied migrations must never be edited: restore the file and add a new migration instead.',
      );
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return {
    applied: applied.length,
    pending: files.filter((f) => !done.has(f.version)).length,
    latest: applied.at(-1)?.name ?? null,
  };
}

/** Applies pending migrations in order, each in its own transaction. Returns the names applied. */
export async function migrate(db: Kysely<Schema>, files = readMigrationFiles()): Promise<string[]> {
  await ensureTable(db);
  await checkMigrations(db, files);
  const appliedNow: string[] = [];
  for (const file of files) {
    const applied = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
      const done = await trx
        .selectFrom('schema_migration')
        .select('version')
        .where('version', '=', file.version)
        .executeTakeFirst();
      if (done) return false;
      try {
        await sql.raw(file.sql).execute(trx);
      } catch (error) {
        throw new MigrationError(`${file.name} failed and was rolled back: ${(error as Error).message}`);
      }
      await trx
        .insertInto('schema_migration')
        .values({ version: file.version, name: file.name, checksum: file.checksum })
        .execute();
      return true;
    });
    if (applied) appliedNow.push(file.name);
  }
  return appliedNow;
}

/** Migration state for /health; never throws. */
export async function migrationState(db: Kysely<Schema>, files: MigrationFile[]): Promise<MigrationState | null> {
  try {
    return await checkMigrations(db, files);
  } catch {
    return null;
  }
}

function sha256(text: string) {
  return createHash('sha256').update(text).digest('hex');
}
