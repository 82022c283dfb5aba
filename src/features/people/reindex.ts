import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { assertArea, cliAudit } from './bulk.ts';
import { matchingColumns, type MatchingColumns } from './matching/columns.ts';

/**
 * Recomputes the matching columns (migration 0011) of people already written, for `marac people reindex`: rows
 * written before 0011 have no phonetic codes, and a change to how the keys are computed (columns.ts) leaves older
 * rows with the old keys. Each row's columns come from its own names and date of birth, through matchingColumns()
 * exactly as when the row is written. The postcode is sealed with the address, so the stored outward code is kept
 * as it is. Runs as the database owner; reports counts only, never names.
 */

/** What is recomputed: every matching column but the outward code and postcode key, which cannot be recomputed. */
type Recomputed = Omit<MatchingColumns, 'postcode_outcode' | 'postcode_key'>;

// A Record, so a column added to matchingColumns() must be named here too or this stops compiling.
const RECOMPUTED_COLUMNS: Record<keyof Recomputed, true> = {
  given_names_normalised: true,
  family_name_normalised: true,
  full_name_normalised: true,
  forename_canonical: true,
  given_names_metaphone: true,
  family_name_metaphone: true,
  given_names_dm: true,
  family_name_dm: true,
  dob_year: true,
  dob_month: true,
  dob_day: true,
  previous_surnames: true,
  other_surnames_normalised: true,
};
const RECOMPUTED = Object.keys(RECOMPUTED_COLUMNS) as (keyof Recomputed)[];

/** The fields of a `person` row the matching columns are computed from. */
export type PersonNameFields = {
  given_names: string;
  family_name: string;
  aliases: string[];
  previous_surnames: string[];
  date_of_birth: string | null;
};

/** The matching columns of a stored person, as matchingColumns() gives them, without the outward code. */
export function recomputedColumns(row: PersonNameFields): Recomputed {
  const columns = matchingColumns({
    givenNames: row.given_names,
    familyName: row.family_name,
    aliases: row.aliases,
    previousSurnames: row.previous_surnames,
    dateOfBirth: row.date_of_birth,
  });
  return Object.fromEntries(RECOMPUTED.map((column) => [column, columns[column]])) as Recomputed;
}

function differs(row: Recomputed, columns: Recomputed): boolean {
  return RECOMPUTED.some((column) => JSON.stringify(row[column]) !== JSON.stringify(columns[column]));
}

/** How far a reindex has got: people checked and rewritten so far, of about `total` (counted at the start). */
export type ReindexProgress = { checked: number; changed: number; total: number };

/**
 * Rewrites the matching columns of every person in an area whose stored columns differ from those recomputed, in
 * batches of `batchSize` people taken in id order, each batch in its own transaction with its rows locked, so a
 * person changed meanwhile is never overwritten with columns from names they no longer have. Throws BulkInputError
 * for an unknown area. Records no audit event: see reindexPeople.
 */
export async function reindexArea(
  db: Kysely<Schema>,
  areaId: string,
  onProgress: (progress: ReindexProgress) => void = () => {},
  batchSize = 1000,
): Promise<{ checked: number; changed: number }> {
  await assertArea(db, areaId);
  const { total } = await db
    .selectFrom('person')
    .select(sql<number>`count(*)::int`.as('total'))
    .where('area_id', '=', areaId)
    .executeTakeFirstOrThrow();
  let checked = 0;
  let changed = 0;
  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const batch: { rows: number; last: string | null; written: number } = await db
      .transaction()
      .execute(async (trx) => {
        const rows = await trx
          .selectFrom('person')
          .select(['id', 'given_names', 'family_name', 'aliases', 'date_of_birth', ...RECOMPUTED])
          .where('area_id', '=', areaId)
          .$if(from !== null, (query) => query.where('id', '>', from!))
          .orderBy('id')
          .limit(batchSize)
          .forUpdate()
          .execute();
        let written = 0;
        for (const row of rows) {
          const columns = recomputedColumns(row);
          if (!differs(row, columns)) continue;
          await trx.updateTable('person').set(columns).where('id', '=', row.id).execute();
          written++;
        }
        return { rows: rows.length, last: rows.at(-1)?.id ?? null, written };
      });
    checked += batch.rows;
    changed += batch.written;
    if (batch.rows > 0) onProgress({ checked, changed, total });
    if (batch.rows < batchSize) break;
    after = batch.last;
  }
  return { checked, changed };
}

/**
 * Reindexes one area, or every area when `areaId` is null, and records one `person.reindexed` event for the run:
 * `success` at the end, or `failed` if it stops part way (batches already done stay done).
 */
export async function reindexPeople(
  db: Kysely<Schema>,
  areaId: string | null,
  onProgress: (areaId: string, progress: ReindexProgress) => void = () => {},
  batchSize = 1000,
): Promise<{ areas: number; checked: number; changed: number }> {
  if (areaId !== null) await assertArea(db, areaId);
  const areaIds =
    areaId !== null
      ? [areaId]
      : (await db.selectFrom('marac_area').select('id').orderBy('id').execute()).map((area) => area.id);
  const result = { areas: 0, checked: 0, changed: 0 };
  try {
    for (const id of areaIds) {
      const { checked, changed } = await reindexArea(db, id, (progress) => onProgress(id, progress), batchSize);
      result.areas++;
      result.checked += checked;
      result.changed += changed;
    }
  } catch (error) {
    await db
      .transaction()
      .execute((trx) => recordAudit(trx, cliAudit('person.reindexed', areaId, 'failed')))
      .catch(() => {});
    throw error;
  }
  await db.transaction().execute((trx) => recordAudit(trx, cliAudit('person.reindexed', areaId)));
  return result;
}
