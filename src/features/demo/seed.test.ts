import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findMatches } from '../people/matching/match.ts';
import { personToMatch } from '../people/review.ts';
import { casePeople } from '../referrals/people.ts';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { AGENCY_KINDS } from '../../platform/db/schema.ts';
import { testKeyring } from '../../../test/harness.ts';
import { DemoSeedError, seedDemo } from './seed.ts';

async function seeded(seed: number) {
  const database = await createTestDatabase();
  await migrate(database.db);
  await seedDemo(database.db, seed);
  const areas = await database.db.selectFrom('marac_area').select(['id', 'name']).orderBy('id').execute();
  const agencies = await database.db.selectFrom('agency').select(['id', 'name', 'kind']).orderBy('id').execute();
  const links = await database.db.selectFrom('area_agency').select(['area_id', 'agency_id']).execute();
  return { database, areas, agencies, links };
}

describe('demo seed', () => {
  test('two MARAC areas, each with the agencies a MARAC invites', async () => {
    const { areas, agencies, links } = await seeded(1985);
    assert.equal(areas.length, 2);
    for (const area of areas) {
      const kinds = new Set(
        links.filter((l) => l.area_id === area.id).map((l) => agencies.find((a) => a.id === l.agency_id)!.kind),
      );
      for (const kind of [
        'police',
        'idva',
        'childrens_social_care',
        'primary_care',
        'acute_health',
        'mental_health',
        'housing',
        'probation',
        'education',
      ] as const) {
        assert.ok(kinds.has(kind), `${area.name} has ${AGENCY_KINDS[kind]}`);
      }
    }
  });

  test('the same seed gives the same data; another seed gives other data', async () => {
    const first = await seeded(1985);
    const again = await seeded(1985);
    const other = await seeded(7);
    assert.deepEqual(again.areas, first.areas);
    assert.deepEqual(again.agencies, first.agencies);
    assert.notDeepEqual(
      other.areas.map((a) => a.id),
      first.areas.map((a) => a.id),
    );
  });

  test('refuses a database that already holds data', async () => {
    const { database } = await seeded(1985);
    await assert.rejects(seedDemo(database.db, 1985), DemoSeedError);
    const count = await database.db
      .selectFrom('marac_area')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2, 'nothing was added');
  });

  test('with the keys, referrals in every status, with a repeat, children, an emergency and a transfer', async () => {
    const database = await createTestDatabase();
    await migrate(database.db);
    await seedDemo(database.db, 1985, testKeyring);
    const { db } = database;
    const referrals = await db.selectFrom('referral').selectAll().execute();
    assert.deepEqual([...new Set(referrals.map((r) => r.status))].sort(), [
      'accepted',
      'draft',
      'rejected',
      'returned',
      'submitted',
    ]);
    assert.ok(referrals.some((r) => r.repeat_of_referral_id !== null && r.criteria_met.includes('repeat')));
    assert.ok(referrals.some((r) => r.is_emergency));
    assert.equal((await db.selectFrom('referral_transfer').selectAll().execute()).length, 1);
    const children = await db.selectFrom('case_person').select('case_id').where('role', '=', 'child').execute();
    assert.ok(new Set(children.map((c) => c.case_id)).size >= 2);
    // Made as the demo users: every referral's creation is in the audit trail under its referrer.
    const created = await db.selectFrom('audit_event').selectAll().where('action', '=', 'referral.created').execute();
    assert.deepEqual(created.map((a) => a.actor_user_id).sort(), referrals.map((r) => r.referrer_user_id).sort());
    // Sealed at rest.
    assert.ok(referrals.every((r) => r.narrative === null || r.narrative.startsWith('v1.')));
    // "Grace Tolland", also known as Grace Fernsby, born a digit away: the earlier Grace Fernsby is offered.
    const tolland = await db
      .selectFrom('person')
      .selectAll()
      .where('family_name', '=', 'Tolland')
      .executeTakeFirstOrThrow();
    const caseOf = (personId: string) =>
      db.selectFrom('case_person').select('case_id').where('person_id', '=', personId).executeTakeFirstOrThrow();
    const matches = await findMatches(
      db,
      tolland.area_id,
      {
        givenNames: tolland.given_names,
        familyName: tolland.family_name,
        aliases: tolland.aliases,
        dateOfBirth: '1996-11-15',
      },
      { as: 'operator', excludeCaseId: (await caseOf(tolland.id)).case_id },
    );
    const fernsby = await db.selectFrom('person').select('id').where('family_name', '=', 'Fernsby').execute();
    assert.ok(fernsby.some((p) => p.id === matches[0]?.personId));
    assert.equal(matches[0]?.band, 'possible');
    // As the coordinator's review asks, with her stored outward code and postcode key: still offered.
    const withPostcode = await findMatches(
      db,
      tolland.area_id,
      {
        givenNames: tolland.given_names,
        familyName: tolland.family_name,
        aliases: tolland.aliases,
        dateOfBirth: '1996-11-15',
        postcode: tolland.postcode_outcode,
        postcodeKey: tolland.postcode_key,
      },
      { as: 'operator', excludeCaseId: (await caseOf(tolland.id)).case_id },
    );
    assert.equal(tolland.postcode_outcode, 'ZE8');
    assert.ok(fernsby.some((p) => p.id === withPostcode[0]?.personId));
    assert.equal(withPostcode[0]?.band, 'possible');
    // "Ellie Ashcombe", no date of birth but an age, at Ellie Bramblewood's postcode: asked as the coordinator's
    // review asks, her earlier referrals' Ellie Bramblewood comes first, on the address and the age.
    const ashcombe = await db
      .selectFrom('person')
      .selectAll()
      .where('family_name', '=', 'Ashcombe')
      .executeTakeFirstOrThrow();
    const ashcombeCase = (await caseOf(ashcombe.id)).case_id;
    const people = await db.transaction().execute((trx) => casePeople(trx, ashcombeCase));
    const asReviewed = people.find((p) => p.role === 'victim');
    const forAshcombe = await findMatches(db, ashcombe.area_id, personToMatch(asReviewed!, ashcombe), {
      as: 'operator',
      excludeCaseId: (await caseOf(ashcombe.id)).case_id,
    });
    const bramblewood = await db
      .selectFrom('person')
      .select('id')
      .where('family_name', '=', 'Bramblewood')
      .where('given_names', '=', 'Ellie')
      .execute();
    assert.ok(bramblewood.some((p) => p.id === forAshcombe[0]?.personId));
    assert.equal(forAshcombe[0]?.band, 'possible');
    const levels = Object.fromEntries(forAshcombe[0].evidence.map((e) => [e.field, e.level]));
    assert.equal(levels['address'], 'exact');
    assert.equal(levels['age'], 'close');
    // Without her address and age, her new surname and forename alone offer nobody of that family.
    const bare = await findMatches(
      db,
      ashcombe.area_id,
      { givenNames: 'Ellie', familyName: 'Ashcombe', dateOfBirth: null },
      { as: 'operator', excludeCaseId: (await caseOf(ashcombe.id)).case_id },
    );
    assert.ok(!bare.some((m) => bramblewood.some((p) => p.id === m.personId)));
  });

  test('victims with an address have a postcode key, never the postcode; the one in a refuge has none', async () => {
    const database = await createTestDatabase();
    await migrate(database.db);
    await seedDemo(database.db, 1985, testKeyring);
    const victims = await database.db
      .selectFrom('person')
      .innerJoin('case_person', 'case_person.person_id', 'person.id')
      .selectAll('person')
      .where('case_person.role', '=', 'victim')
      .execute();
    const byName = (familyName: string) => victims.filter((v) => v.family_name === familyName);
    const withAddress = [
      'Smith',
      'Pennant',
      'Quillfeather',
      'Larkhollow',
      'Bramblewood',
      'Fernsby',
      'Tolland',
      'Ashcombe',
    ];
    for (const familyName of withAddress) {
      for (const victim of byName(familyName)) {
        assert.match(victim.postcode_key ?? '', /^[A-Za-z0-9_-]{22}$/, familyName);
        assert.match(victim.postcode_outcode ?? '', /^ZE[89]$/, familyName);
      }
    }
    // The same address on both of Ellie Bramblewood's referrals: one key.
    const ellie = byName('Bramblewood');
    assert.equal(ellie.length, 2);
    assert.equal(ellie[0]!.postcode_key, ellie[1]!.postcode_key);
    // In a refuge, and the unfinished draft without an address: no key.
    for (const familyName of ['Harrowgate', 'Wrenfield']) {
      assert.deepEqual(
        byName(familyName).map((v) => [v.postcode_outcode, v.postcode_key]),
        [[null, null]],
        familyName,
      );
    }
    const rows = JSON.stringify(victims).toUpperCase();
    for (const postcode of ['ZE9 1AX', 'ZE9 3BQ', 'ZE9 2DL', 'ZE9 4HT', 'ZE8 2PF', 'ZE8 4DW', 'ZE8 6NR']) {
      assert.ok(!rows.includes(postcode) && !rows.includes(postcode.replace(' ', '')), 'no postcode in a victim row');
    }
  });
});
