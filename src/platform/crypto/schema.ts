import type { ColumnType } from 'kysely';

/** migrations/0006_data_keys.sql. Add `case_data_key: CaseDataKeyTable` to the Schema in db/schema.ts. */
export type CaseDataKeyTable = {
  case_id: string;
  /** The KEK version that wraps this data key. */
  kek_version: number;
  /** `v1.<nonce>.<ciphertext‖tag>` (keyring.ts). */
  wrapped_key: string;
  created_at: ColumnType<Date, never, never>;
  rotated_at: ColumnType<Date | null, never, Date | null>;
};

/** The tables this module reads, added to whatever Schema a caller's connection has. */
export type CryptoTables = { case_data_key: CaseDataKeyTable };
