import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeAgency, makeArea, makeCase, makeUser } from '../../../test/factories.ts';
import { migrate } from '../db/migrator.ts';
import { withTransaction } from '../db/transaction.ts';
import type { Actor } from './actor.ts';
import { visibleCases } from './visibility.ts';

const { db } = await createTestDatabase();
await migrate(db);

// Two areas; in area A a police and a housing agency.
const areaA = await makeArea(db);
const areaB = await makeArea(db);
const police = await makeAgency(db, areaA.id, 'police');
const housing = await makeAgency(db, areaA.id, 'housing');
const policeB = await makeAgency(db, areaB.id, 'police');

const caseA1 = await makeCase(db, areaA.id, [police.id]); // police invited
const caseA2 = await makeCase(db, areaA.id, []); // no agency invited yet
const caseB1 = await makeCase(db, areaB.id, [policeB.id]);

const actors: Record<string, { actor: Actor; sees: string[] }> = {
  'coordinator of A': {
    actor: await makeUser(db, { roles: [{ areaId: areaA.id, role: 'coordinator' }] }),
    sees: [caseA1, caseA2],
  },
  'chair of A': { actor: await makeUser(db, { roles: [{ areaId: areaA.id, role: 'chair' }] }), sees: [caseA1, caseA2] },
  'IDVA of A': { actor: await makeUser(db, { roles: [{ areaId: areaA.id, role: 'idva' }] }), sees: [caseA1, caseA2] },
  'police representative in A': {
    actor: await makeUser(db, { agencyId: police.id, roles: [{ areaId: areaA.id, role: 'agency_representative' }] }),
    sees: [caseA1],
  },
  'housing representative in A (not invited)': {
    actor: await makeUser(db, { agencyId: housing.id, roles: [{ areaId: areaA.id, role: 'agency_representative' }] }),
    sees: [],
  },
  'referrer in A': { actor: await makeUser(db, { roles: [{ areaId: areaA.id, role: 'referrer' }] }), sees: [] },
  'analyst of A': { actor: await makeUser(db, { roles: [{ areaId: areaA.id, role: 'analyst' }] }), sees: [] },
  'coordinator of B': {
    actor: await makeUser(db, { roles: [{ areaId: areaB.id, role: 'coordinator' }] }),
    sees: [caseB1],
  },
  'system administrator': { actor: await makeUser(db, { globalRole: 'system_admin' }), sees: [] },
  'information governance': { actor: await makeUser(db, { globalRole: 'information_governance' }), sees: [] },
};

// A coordinator of A excluded from case A1 (conflict of interest).
const excluded = await makeUser(db, { roles: [{ areaId: areaA.id, role: 'coordinator' }] });
await db
  .insertInto('case_exclusion')
  .values({ case_id: caseA1, user_id: excluded.userId, reason: 'Knows the family' })
  .execute();
actors['coordinator of A excluded from A1'] = { actor: excluded, sees: [caseA2] };

// A disabled coordinator: the application stops them at sign-in; the database agrees.
const disabled = await makeUser(db, { status: 'disabled', roles: [{ areaId: areaA.id, role: 'coordinator' }] });

const sorted = (ids: string[]) => [...ids].sort();

describe('case visibility: one policy, enforced twice', () => {
  for (const [who, { actor, sees }] of Object.entries(actors)) {
    test(`${who}: the application filter and row-level security agree`, async () => {
      const { filtered, unfiltered } = await withTransaction(
        db,
        { requestId: 't', actorId: actor.userId },
        async (trx) => ({
          filtered: (await trx.selectFrom('marac_case').select('id').where(visibleCases(actor)).execute()).map(
            (r) => r.id,
          ),
          // The application filter deliberately left out: the database must still refuse other rows.
          unfiltered: (await trx.selectFrom('marac_case').select('id').execute()).map((r) => r.id),
        }),
      );
      assert.deepEqual(sorted(filtered), sorted(sees), 'application filter');
      assert.deepEqual(sorted(unfiltered), sorted(sees), 'row-level security');
    });
  }

  test('nobody signed in sees nothing, in either layer', async () => {
    const rows = await withTransaction(db, { requestId: 't' }, (trx) =>
      trx.selectFrom('marac_case').select('id').where(visibleCases(null)).execute(),
    );
    assert.deepEqual(rows, []);
    const raw = await withTransaction(db, { requestId: 't' }, (trx) =>
      trx.selectFrom('marac_case').select('id').execute(),
    );
    assert.deepEqual(raw, []);
  });

  test('row-level security ignores a disabled user’s memberships', async () => {
    const raw = await withTransaction(db, { requestId: 't', actorId: disabled.userId }, (trx) =>
      trx.selectFrom('marac_case').select('id').execute(),
    );
    assert.deepEqual(raw, []);
  });

  test('row-level security also hides another area’s cases from updates and deletes', async () => {
    const coordinatorA = actors['coordinator of A']!.actor;
    const result = await withTransaction(db, { requestId: 't', actorId: coordinatorA.userId }, async (trx) => {
      const deleted = await trx.deleteFrom('marac_case').where('id', '=', caseB1).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
    assert.equal(result, 0);
    const still = await db.selectFrom('marac_case').select('id').where('id', '=', caseB1).execute();
    assert.equal(still.length, 1);
  });

  test('the owner connection is not used by requests: marac_app cannot switch RLS off', async () => {
    await assert.rejects(
      withTransaction(db, { requestId: 't' }, (trx) =>
        sql`alter table marac_case disable row level security`.execute(trx),
      ),
      /must be owner/,
    );
  });
});
