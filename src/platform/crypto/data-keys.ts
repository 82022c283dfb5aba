/**
 * Each case's data key (DEK): 256 random bits, stored only wrapped by a KEK.
 * The wrapping's additional data binds the wrapped key to its case and KEK
 * version, so a wrapped key copied to another case's row does not unwrap.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { associatedData, KEY_BYTES, toBase64Url } from './aead.ts';
import { DataKeyCorruptError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import type { CryptoTables } from './schema.ts';

export type DataKey = {
  /** The unwrapped key: zero it when done. */
  key: Buffer;
  /**
   * A short public name for the key (base64url of 8 bytes of HMAC-SHA256 of
   * the key), written into each field's ciphertext so that a value sealed
   * under another key is reported as such rather than as tampering.
   */
  keyId: string;
};

export function wrappingData(caseId: string, kekVersion: number): Buffer {
  return associatedData(['open-marac.case-data-key.v1', caseId, kekVersion]);
}

/** The case's data key, or null when it has none (never created, or shredded). */
export async function loadDataKey(db: Kysely<Schema>, keyring: Keyring, caseId: string): Promise<DataKey | null> {
  const row = await db
    .withTables<CryptoTables>()
    .selectFrom('case_data_key')
    .select(['kek_version', 'wrapped_key'])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!row) return null;
  return unwrapDataKey(keyring, caseId, row.kek_version, row.wrapped_key);
}

/**
 * The case's data key, created (wrapped by the current KEK) when it has none.
 * Two transactions creating one at once end up with the same key: the insert
 * yields to an existing row (ON CONFLICT DO NOTHING waits for a concurrent
 * insert to commit or roll back) and the key is always read back from the
 * table. Under READ COMMITTED, the default, the read-back sees the winner's
 * row; a REPEATABLE READ transaction gets a serialisation error instead.
 */
export async function loadOrCreateDataKey(db: Kysely<Schema>, keyring: Keyring, caseId: string): Promise<DataKey> {
  const existing = await loadDataKey(db, keyring, caseId);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  try {
    const kekVersion = keyring.currentVersion;
    await db
      .withTables<CryptoTables>()
      .insertInto('case_data_key')
      .values({
        case_id: caseId,
        kek_version: kekVersion,
        wrapped_key: keyring.wrap(key, wrappingData(caseId, kekVersion)),
      })
      .onConflict((conflict) => conflict.column('case_id').doNothing())
      .execute();
  } finally {
    key.fill(0);
  }
  const created = await loadDataKey(db, keyring, caseId);
  if (!created) throw new Error(`case ${caseId}: the data key just created cannot be read back`);
  return created;
}

export function unwrapDataKey(keyring: Keyring, caseId: string, kekVersion: number, wrapped: string): DataKey {
  const key = keyring.unwrap(kekVersion, wrapped, wrappingData(caseId, kekVersion));
  if (!key) throw new DataKeyCorruptError(caseId, kekVersion);
  return { key, keyId: keyIdOf(key) };
}

export function keyIdOf(key: Buffer): string {
  return toBase64Url(createHmac('sha256', key).update('open-marac.key-id.v1').digest().subarray(0, 8));
}
