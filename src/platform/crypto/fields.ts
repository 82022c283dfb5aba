/**
 * Sealing and opening encrypted fields: AES-256-GCM under the case's data
 * key, with additional authenticated data naming the case, table, column and
 * row, so a value copied anywhere else does not decrypt.
 *
 *   const fields = forCase(trx, keyring, caseId);
 *   try {
 *     const address = await fields.seal('person', 'safe_address', personId, form.address);
 *     …
 *   } finally {
 *     fields.close();
 *   }
 *
 * or `withCaseFields(trx, keyring, caseId, async (fields) => …)`, which closes
 * for you. The unwrapped data key is held by that one object only (no
 * process-wide cache of plaintext keys) and zeroed by close(). A new row's id
 * is part of the seal, so generate it (randomUUID()) before sealing.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { associatedData, fromBase64Url, NONCE_BYTES, openBytes, sealBytes, TAG_BYTES, toBase64Url } from './aead.ts';
import { loadDataKey, loadOrCreateDataKey, type DataKey } from './data-keys.ts';
import { DataKeyShreddedError, FieldDecryptionError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import { isUuid } from '../ids.ts';

/**
 * `v1.<key id>.<nonce>.<ciphertext‖tag>`, each part base64url: the format
 * version, 8 bytes naming the data key, the 12-byte nonce, and the
 * ciphertext followed by the 16-byte GCM tag.
 */
const CIPHERTEXT = new RegExp(
  `^v1\\.([A-Za-z0-9_-]{11})\\.([A-Za-z0-9_-]{${Math.ceil((NONCE_BYTES * 4) / 3)}})\\.([A-Za-z0-9_-]{${Math.ceil((TAG_BYTES * 4) / 3)},})$`,
);
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
// Ids only: a row id ends up in error messages and logs, so free text is refused.
const ROW_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

/** The additional authenticated data of a field. */
export function fieldData(caseId: string, table: string, column: string, rowId: string): Buffer {
  return associatedData(['open-marac.field.v1', caseId, table, column, rowId]);
}

/** Seals and opens one case's encrypted fields within one transaction. */
export class CaseFields {
  readonly caseId: string;
  readonly #db: Kysely<Schema>;
  readonly #keyring: Keyring;
  #dataKey: DataKey | undefined;
  #pending: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(db: Kysely<Schema>, keyring: Keyring, caseId: string) {
    if (!isUuid(caseId)) throw new TypeError('caseId must be a UUID');
    this.caseId = caseId.toLowerCase();
    this.#db = db;
    this.#keyring = keyring;
  }

  /** Encrypts a field's text; null stays null. Creates the case's data key on first use. */
  async seal(table: string, column: string, rowId: string, plaintext: string): Promise<string>;
  async seal(table: string, column: string, rowId: string, plaintext: string | null): Promise<string | null>;
  async seal(table: string, column: string, rowId: string, plaintext: string | null): Promise<string | null> {
    const aad = this.#location(table, column, rowId);
    if (plaintext === null) return null;
    if (typeof plaintext !== 'string' || !plaintext.isWellFormed()) {
      throw new TypeError(`${table}.${column}: only well-formed text can be sealed`);
    }
    const { key, keyId } = await this.#key(true);
    const bytes = Buffer.from(plaintext, 'utf8');
    try {
      const { nonce, sealed } = sealBytes(key, bytes, aad);
      return `v1.${keyId}.${toBase64Url(nonce)}.${toBase64Url(sealed)}`;
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Decrypts a field sealed for this same case, table, column and row; null
   * stays null. Throws DataKeyShreddedError when the case has no data key,
   * FieldDecryptionError when the value does not belong here or was altered.
   */
  async open(table: string, column: string, rowId: string, ciphertext: string): Promise<string>;
  async open(table: string, column: string, rowId: string, ciphertext: string | null): Promise<string | null>;
  async open(table: string, column: string, rowId: string, ciphertext: string | null): Promise<string | null> {
    const aad = this.#location(table, column, rowId);
    if (ciphertext === null) return null;
    const where = `${table}.${column} of row ${rowId} (case ${this.caseId})`;
    const parts = typeof ciphertext === 'string' ? CIPHERTEXT.exec(ciphertext) : null;
    const nonce = parts && fromBase64Url(parts[2]!);
    const sealed = parts && fromBase64Url(parts[3]!);
    if (!parts || !nonce || !sealed || nonce.length !== NONCE_BYTES) throw new FieldDecryptionError('format', where);
    const { key, keyId } = await this.#key(false);
    if (parts[1] !== keyId) throw new FieldDecryptionError('wrong_key', where);
    const bytes = openBytes(key, nonce, sealed, aad);
    if (!bytes) throw new FieldDecryptionError('authentication', where);
    try {
      return bytes.toString('utf8');
    } finally {
      bytes.fill(0);
    }
  }

  /** Zeroes the data key; the object cannot be used afterwards. Safe to call twice. */
  close(): void {
    this.#closed = true;
    this.#dataKey?.key.fill(0);
    this.#dataKey = undefined;
  }

  #location(table: string, column: string, rowId: string): Buffer {
    if (this.#closed) throw new Error(`the encrypted fields of case ${this.caseId} were closed`);
    if (typeof table !== 'string' || !IDENTIFIER.test(table)) throw new TypeError('table must be a table name');
    if (typeof column !== 'string' || !IDENTIFIER.test(column)) throw new TypeError('column must be a column name');
    if (typeof rowId !== 'string' || !ROW_ID.test(rowId)) throw new TypeError('rowId must be an id');
    return fieldData(this.caseId, table, column, isUuid(rowId) ? rowId.toLowerCase() : rowId);
  }

  /** The data key, loaded (or created) once; concurrent callers share one load. */
  async #key(create: boolean): Promise<DataKey> {
    const next = this.#pending.then(async () => {
      if (this.#dataKey) return this.#dataKey;
      const key = create
        ? await loadOrCreateDataKey(this.#db, this.#keyring, this.caseId)
        : await loadDataKey(this.#db, this.#keyring, this.caseId);
      if (!key) throw new DataKeyShreddedError(this.caseId);
      if (this.#closed) {
        key.key.fill(0);
        throw new Error(`the encrypted fields of case ${this.caseId} were closed`);
      }
      this.#dataKey = key;
      return key;
    });
    this.#pending = next.catch(() => undefined);
    return next;
  }
}

/** The encrypted fields of one case, for use inside one transaction; close() it when done. */
export function forCase(db: Kysely<Schema>, keyring: Keyring, caseId: string): CaseFields {
  return new CaseFields(db, keyring, caseId);
}

/** Runs fn with the case's encrypted fields and zeroes the data key afterwards, whatever happens. */
export async function withCaseFields<T>(
  db: Kysely<Schema>,
  keyring: Keyring,
  caseId: string,
  fn: (fields: CaseFields) => Promise<T>,
): Promise<T> {
  const fields = new CaseFields(db, keyring, caseId);
  try {
    return await fn(fields);
  } finally {
    fields.close();
  }
}

export type FieldLocation = {
  trx: Kysely<Schema>;
  keyring: Keyring;
  caseId: string;
  table: string;
  column: string;
  rowId: string;
};

/** Seals one field (loading the data key for this call only). */
export async function encryptField(input: FieldLocation & { plaintext: string | null }): Promise<string | null> {
  return withCaseFields(input.trx, input.keyring, input.caseId, (fields) =>
    fields.seal(input.table, input.column, input.rowId, input.plaintext),
  );
}

/** Opens one field (loading the data key for this call only). */
export async function decryptField(input: FieldLocation & { ciphertext: string | null }): Promise<string | null> {
  return withCaseFields(input.trx, input.keyring, input.caseId, (fields) =>
    fields.open(input.table, input.column, input.rowId, input.ciphertext),
  );
}
