import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/** Who is acting, carried into the database for row-level security and audit. */
export type ActingContext = {
  requestId: string;
  /** Absent for the anonymous public and for system work such as start-up. */
  actorId?: string;
};

export type Tx = Transaction<Schema>;

/**
 * Runs fn in one transaction that knows who is acting, as the unprivileged
 * marac_app role. The settings are transaction-local (`set_config(..., true)`,
 * `set local role`), so they can never leak to the next request that borrows
 * the same pooled connection. Row-level security policies read them with
 * current_setting('marac.actor_id', true).
 */
export async function withTransaction<T>(
  db: Kysely<Schema>,
  context: ActingContext,
  fn: (trx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local role marac_app`.execute(trx);
    await sql`select set_config('marac.request_id', ${context.requestId}, true),
                     set_config('marac.actor_id', ${context.actorId ?? ''}, true)`.execute(trx);
    return fn(trx);
  });
}
