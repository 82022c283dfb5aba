import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Schema } from '../../platform/db/schema.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';

export type AdminDeps = {
  db: Kysely<Schema>;
  clock: () => Date;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl'>;
};
