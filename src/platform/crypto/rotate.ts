/**
 * Key rotation and crypto-shredding. Rotation re-wraps each case's data key
 * under the newest KEK; the fields themselves are untouched, which is the
 * point of envelope encryption. Once every data key is re-wrapped the old KEK
 * can be removed from the keyring and destroyed.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { unwrapDataKey, wrappingData } from './data-keys.ts';
import { KekMissingError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import type { CryptoTables } from './schema.ts';

export type RotationResult = {
  /** The KEK version every data key is now wrapped by. */
  currentVersion: number;
  /** Data keys re-wrapped by this run. */
  rewrapped: number;
  /** Data keys that were already wrapped by the current version. */
  alreadyCurrent: number;
  /** Transactions committed. */
  batches: number;
};

/**
 * Re-wraps every data key not wrapped by the keyring's current KEK, a batch
 * per transaction (rows locked FOR UPDATE, so a concurrent rotation waits and
 * then skips what is done). Idempotent: a second run re-wraps nothing. Needs
 * every older version still in the keyring (KekMissingError otherwise, with
 * the batch rolled back). Run it on the owner's connection, like migrations:
 * row-level security would hide data keys from marac_app, so it refuses to
 * run where that applies rather than report a rotation it did not do.
 */
export async function rotateKeys(
  db: Kysely<Schema>,
  keyring: Keyring,
  options: { batchSize?: number } = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const keys = db.withTables<CryptoTables>();
  const current = keyring.currentVersion;

  const { rows } = await sql<{ restricted: boolean }>`
    select row_security_active('case_data_key') as restricted`.execute(keys);
  if (rows[0]?.restricted !== false) {
    throw new Error(
      'rotateKeys: row-level security applies to this connection, so it cannot see every data key; ' +
        "run it with the owner's connection (DATABASE_OWNER_URL)",
    );
  }
  const summary = await keys
    .selectFrom('case_data_key')
    .select((eb) => [
      eb.fn.max('kek_version').as('newest'),
      eb.fn.countAll<number>().filterWhere('kek_version', '=', current).as('alreadyCurrent'),
    ])
    .executeTakeFirstOrThrow();
  if (summary.newest !== null && summary.newest > current) {
    // Another server has a newer keyring; rotating "back" would strand its keys.
    throw new KekMissingError(summary.newest, keyring.versions);
  }

  let rewrapped = 0;
  let batches = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await keys.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('case_data_key')
        .select(['case_id', 'kek_version', 'wrapped_key'])
        .where('kek_version', '<', current)
        .orderBy('case_id')
        .limit(batchSize)
        .forUpdate();
      if (after !== null) query = query.where('case_id', '>', after);
      const rows = await query.execute();
      for (const row of rows) {
        const { key } = unwrapDataKey(keyring, row.case_id, row.kek_version, row.wrapped_key);
        try {
          await trx
            .updateTable('case_data_key')
            .set({
              kek_version: current,
              wrapped_key: keyring.wrap(key, wrappingData(row.case_id, current)),
              rotated_at: sql<Date>`now()`,
            })
            .where('case_id', '=', row.case_id)
            .execute();
        } finally {
          key.fill(0);
        }
      }
      return { count: rows.length, last: rows.at(-1)?.case_id ?? null };
    });
    if (batch.last === null) break;
    rewrapped += batch.count;
    batches += 1;
    after = batch.last;
  }
  return { currentVersion: current, rewrapped, alreadyCurrent: summary.alreadyCurrent, batches };
}

/**
 * Crypto-shredding: deletes the case's data key, so every encrypted field of
 * the case is unreadable from then on (DataKeyShreddedError), wherever a copy
 * of the ciphertext lives. Backups still hold the wrapped key until they
 * expire or the KEK that wrapped it is destroyed. True when a key was deleted.
 * Sealing a field for the case afterwards creates a new, unrelated key.
 */
export async function shredCase(trx: Kysely<Schema>, caseId: string): Promise<boolean> {
  const result = await trx
    .withTables<CryptoTables>()
    .deleteFrom('case_data_key')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
