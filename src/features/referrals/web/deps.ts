import type { Kysely } from 'kysely';
import type { Keyring } from '../../../platform/crypto/keyring.ts';
import type { Schema } from '../../../platform/db/schema.ts';

export type ReferralDeps = { db: Kysely<Schema>; clock: () => Date; keyring: Keyring };
