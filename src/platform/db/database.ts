import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type DatabaseTarget =
  /**
   * url: the application's connection, as a role that is neither superuser,
   * table owner nor BYPASSRLS. ownerUrl: the owner's, used only to migrate.
   */
  | { engine: 'postgres'; url: string; ownerUrl: string }
  /** dataDir 'memory://' keeps everything in memory (tests). */
  | { engine: 'pglite'; dataDir: string };

export type Database = {
  engine: DatabaseTarget['engine'];
  db: Kysely<Schema>;
  close(): Promise<void>;
};

export const EXTENSIONS = ['pg_trgm', 'fuzzystrmatch', 'unaccent', 'btree_gin', 'btree_gist'] as const;

// Type OIDs whose default parsing differs between node-postgres and PGlite.
const INT8 = 20;
const DATE = 1082;

/** Opens the database; on a server, `as: 'owner'` connects with the owner's URL (for migrations). */
export async function openDatabase(
  target: DatabaseTarget,
  as: 'application' | 'owner' = 'application',
): Promise<Database> {
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({
      connectionString: as === 'owner' ? target.ownerUrl : target.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
          // Counts and ids fit comfortably in a JS number; dates stay 'YYYY-MM-DD'
          // strings so no time zone can shift a date of birth.
          if (oid === INT8) return (value: string) => Number(value);
          if (oid === DATE) return (value: string) => value;
          return pg.types.getTypeParser(oid, format) as unknown;
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    return { engine: 'postgres', db, close: () => db.destroy() };
  }

  if (target.dataDir !== 'memory://') mkdirSync(target.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: target.dataDir,
    extensions: { pg_trgm, fuzzystrmatch, unaccent, btree_gin, btree_gist },
    parsers: { [DATE]: (value: string) => value },
  });
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return { engine: 'pglite', db, close: () => db.destroy() };
}

/** True when the database answers a trivial query. */
export async function isReachable(db: Kysely<Schema>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
