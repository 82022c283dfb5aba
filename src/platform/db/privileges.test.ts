import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from './migrator.ts';
import { assertLeastPrivilege, PrivilegeError } from './privileges.ts';
import { withTransaction } from './transaction.ts';

const { db } = await createTestDatabase();
await migrate(db);

describe('least privilege', () => {
  test('a superuser or owner connection is refused, naming the fix', async () => {
    await assert.rejects(assertLeastPrivilege(db), (e: Error) => {
      assert.ok(e instanceof PrivilegeError);
      assert.match(e.message, /is a superuser/);
      assert.match(e.message, /DATABASE_OWNER_URL/);
      return true;
    });
  });

  test('the marac_app role passes', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`set local role marac_app`.execute(trx);
      await assertLeastPrivilege(trx);
    });
  });

  test('every request transaction runs as marac_app, which cannot change the schema', async () => {
    const role = await withTransaction(db, { requestId: 'r1' }, async (trx) => {
      const { rows } = await sql<{ role: string }>`select current_user as role`.execute(trx);
      return rows[0]?.role;
    });
    assert.equal(role, 'marac_app');
    await assert.rejects(
      withTransaction(db, { requestId: 'r2' }, (trx) => sql`drop table agency cascade`.execute(trx)),
      /must be owner|permission denied/,
    );
  });
});
