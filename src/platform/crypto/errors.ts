/**
 * Errors of the field-encryption module. Messages hold ids, table and column
 * names and key versions only — never plaintext, ciphertext or key material —
 * so they are safe to log.
 */

/** A key setting (MARAC_KEYS, MARAC_KEY_FILE, the development key file) is wrong; the message names it. */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** The keyring lacks the key-encryption key (KEK) version a stored data key is wrapped by. */
export class KekMissingError extends Error {
  override name = 'KekMissingError';
  readonly kekVersion: number;
  constructor(kekVersion: number, available: readonly number[]) {
    super(
      `KEK version ${kekVersion} is not in the keyring (it holds ${available.join(', ') || 'none'}): ` +
        'add it back to MARAC_KEYS or MARAC_KEY_FILE, or re-wrap the data keys under the newest version first (rotateKeys).',
    );
    this.kekVersion = kekVersion;
  }
}

/** The case has no data key, so none of its encrypted fields can be read: it was shredded. */
export class DataKeyShreddedError extends Error {
  override name = 'DataKeyShreddedError';
  readonly caseId: string;
  constructor(caseId: string) {
    super(`case ${caseId} has no data key: its encrypted fields were shredded (or the value came from another case)`);
    this.caseId = caseId;
  }
}

/** A stored data key does not unwrap: its row was altered or copied from another case, or the KEK is wrong. */
export class DataKeyCorruptError extends Error {
  override name = 'DataKeyCorruptError';
  readonly caseId: string;
  constructor(caseId: string, kekVersion: number) {
    super(
      `the data key of case ${caseId} does not unwrap with KEK version ${kekVersion}: ` +
        'the stored key was altered or copied from another case, or that KEK version holds the wrong key',
    );
    this.caseId = caseId;
  }
}

export type FieldDecryptionReason =
  /** Not an encrypted field in a format this code reads. */
  | 'format'
  /** Sealed under another data key: another case's, or this case's before it was shredded. */
  | 'wrong_key'
  /** Fails authentication: altered, or copied from another row, column or table. */
  | 'authentication';

/** An encrypted field does not decrypt where it is being read. */
export class FieldDecryptionError extends Error {
  override name = 'FieldDecryptionError';
  readonly reason: FieldDecryptionReason;
  constructor(reason: FieldDecryptionReason, where: string) {
    super(`${where} does not decrypt: ${explanations[reason]}`);
    this.reason = reason;
  }
}

const explanations: Record<FieldDecryptionReason, string> = {
  format: 'it is not an encrypted field this version of Open MARAC can read',
  wrong_key: "it was sealed under another data key (another case's, or this case's before it was shredded)",
  authentication: 'it fails authentication (altered, or copied from another row, column or table)',
};
