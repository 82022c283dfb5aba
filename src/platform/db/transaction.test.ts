import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from './migrator.ts';
import { withTransaction } from './transaction.ts';

const { db } = await createTestDatabase();
await migrate(db);

const settings = sql<{ actor: string | null; request: string | null }>`
  select current_setting('marac.actor_id', true) as actor, current_setting('marac.request_id', true) as request`;

describe('withTransaction', () => {
  test('carries the acting user and request id inside the transaction only', async () => {
    const inside = await withTransaction(
      db,
      { requestId: 'req-1', actorId: '7d1f8c2e-0000-4000-8000-000000000001' },
      async (trx) => (await settings.execute(trx)).rows[0],
    );
    assert.deepEqual(inside, { actor: '7d1f8c2e-0000-4000-8000-000000000001', request: 'req-1' });
    const outside = (await settings.execute(db)).rows[0];
    assert.ok(!outside?.actor, 'the actor does not outlive the transaction');
    assert.ok(!outside?.request);
  });

  test('commits on success and rolls everything back on failure', async () => {
    await withTransaction(db, { requestId: 'req-2' }, (trx) =>
      trx.insertInto('marac_area').values({ name: 'Committed MARAC' }).execute(),
    );
    await assert.rejects(
      withTransaction(db, { requestId: 'req-3' }, async (trx) => {
        await trx.insertInto('marac_area').values({ name: 'Rolled back MARAC' }).execute();
        throw new Error('the action failed');
      }),
      /the action failed/,
    );
    const names = (await db.selectFrom('marac_area').select('name').execute()).map((r) => r.name);
    assert.deepEqual(names, ['Committed MARAC']);
  });

  test('concurrent transactions do not see each other’s actor', async () => {
    const actors = ['a1', 'a2', 'a3', 'a4'];
    const seen = await Promise.all(
      actors.map((actorId) =>
        withTransaction(db, { requestId: `r-${actorId}`, actorId }, async (trx) => {
          await sql`select pg_sleep(0.01)`.execute(trx);
          return (await settings.execute(trx)).rows[0]?.actor;
        }),
      ),
    );
    assert.deepEqual(seen, actors);
  });
});
