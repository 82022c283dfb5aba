import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Database } from '../../../platform/db/database.ts';
import { readMigrationFiles } from '../../../platform/db/migrator.ts';
import { withTransaction } from '../../../platform/db/transaction.ts';
import { createLogger } from '../../../platform/http/logging.ts';
import { openDatabase } from '../../../platform/db/database.ts';
import { openMigratedDatabase } from '../../../server.ts';
import { createTestTarget, onCleanup, testConfig } from '../../../../test/harness.ts';
import { makeArea, makeCase, makeUser } from '../../../../test/factories.ts';
import { sql } from 'kysely';
import { ARMS, datesOneDigitAway, deletionKeys, findCandidates, queryKeys } from './candidates.ts';
import { findMatches } from './match.ts';
import { candidatePersonMatcher } from '../../referrals/matching.ts';
import { insertPeople, type ImportedPerson } from './store.ts';
import { postcodeKey } from './postcode-key.ts';
import { generatePopulation, corrupt } from '../../../../bench/matching/generate.ts';

const jonathan: ImportedPerson = {
  externalId: 'P-1',
  givenNames: 'Jonathan',
  familyName: 'Smith',
  dateOfBirth: '1985-03-04',
  postcode: 'M1 1AE',
};

// One database for the file: the application's connection and the owner's (the same on PGlite).
const target = await createTestTarget({ memory: true });
const app: Database = await openMigratedDatabase(target, readMigrationFiles(), createLogger(testConfig()));
onCleanup(() => app.close());
const owner: Database = target.engine === 'postgres' ? await openDatabase(target, 'owner') : app;
if (owner !== app) onCleanup(() => owner.close());
const areaId = (await makeArea(owner.db)).id;
const otherAreaId = (await makeArea(owner.db)).id;
const coordinator = (await makeUser(owner.db, { roles: [{ areaId, role: 'coordinator' }] })).userId;
const referrer = (await makeUser(owner.db, { roles: [{ areaId, role: 'referrer' }] })).userId;
const representative = (await makeUser(owner.db, { roles: [{ areaId, role: 'agency_representative' }] })).userId;
const otherAreaCoordinator = (await makeUser(owner.db, { roles: [{ areaId: otherAreaId, role: 'coordinator' }] }))
  .userId;
await insertPeople(owner.db, areaId, [
  jonathan,
  { externalId: 'P-2', givenNames: 'Jane', familyName: 'Smith', dateOfBirth: '1985-03-04', postcode: 'M1' },
  { externalId: 'P-3', givenNames: 'Aoife', familyName: "O'Brien", dateOfBirth: null, previousSurnames: ['Kelly'] },
]);
// The same man in another area: never visible from this one.
await insertPeople(owner.db, otherAreaId, [{ ...jonathan, externalId: 'X-1' }]);

const as = <T>(userId: string, fn: Parameters<typeof withTransaction<T>>[2]) =>
  withTransaction(app.db, { requestId: randomUUID(), actorId: userId }, fn);

describe('candidate search', () => {
  test('the demo case: "Jon Smyth" born 03/04/1985 finds Jonathan Smith born 04/03/1985 as a possible match', async () => {
    const matches = await as(coordinator, (trx) =>
      findMatches(trx, areaId, { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' }),
    );
    const top = matches[0];
    assert.ok(top);
    assert.equal(top.externalId, 'P-1');
    assert.equal(top.band, 'possible');
    assert.deepEqual(top.evidence.map((e) => [e.field, e.level]).slice(0, 3), [
      ['forename', 'nickname'],
      ['surname', 'jw_mid'],
      ['date of birth', 'day_month_swapped'],
    ]);
    assert.ok(top.arms.includes('dob'), top.arms.join());
  });

  test('each candidate is tagged with every arm that found it', async () => {
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, jonathan));
    const same = found.find((c) => c.externalId === 'P-1');
    assert.ok(same);
    for (const arm of [
      'surname_dob',
      'forename_dob',
      'dob',
      'surname_dob_part',
      'forename_dob_part',
      'surname_phonetic_year',
      'forename_phonetic_year',
      'name_pair',
    ])
      assert.ok(same.arms.includes(arm as never), `${arm} in ${same.arms.join()}`);
    // With a date of birth and a close name already found, the surname + initial and trigram arms do not run.
    assert.ok(!same.arms.includes('surname_phonetic_initial') && !same.arms.includes('trigram'), same.arms.join());
    const undated = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...jonathan, dateOfBirth: null }));
    assert.ok(undated.find((c) => c.externalId === 'P-1')?.arms.includes('surname_phonetic_initial'));
    // Names swapped and slipped, no date: only the trigram arm reads whole names either way round.
    const swapped = await as(coordinator, (trx) =>
      findCandidates(trx, areaId, { givenNames: 'Smith', familyName: 'Jonathn', dateOfBirth: null }),
    );
    assert.ok(swapped.find((c) => c.externalId === 'P-1')?.arms.includes('trigram'));
    // With a date of birth the trigram arm does not run (0016): the date arms read the date four ways, and a
    // referral whose date and both names are all wrong is beyond what the search looks for.
    const dated = await as(coordinator, (trx) =>
      findCandidates(trx, areaId, { givenNames: 'Smith', familyName: 'Jonathn', dateOfBirth: '1950-01-01' }),
    );
    assert.ok(
      dated.every((c) => !c.arms.includes('trigram')),
      'no trigram arm with a date of birth',
    );
    assert.equal(
      dated.find((c) => c.externalId === 'P-1'),
      undefined,
    );
    // Jane Smith shares surname and date of birth but not the forename: found, but not by the forename arms.
    const twin = found.find((c) => c.externalId === 'P-2');
    assert.ok(twin);
    assert.ok(twin.arms.includes('surname_dob'));
    assert.ok(!twin.arms.includes('forename_dob'));
  });

  test('the twins guard keeps a sister with the same surname and date of birth out of the strong band', async () => {
    const matches = await as(coordinator, (trx) => findMatches(trx, areaId, jonathan));
    assert.equal(matches[0]?.externalId, 'P-1');
    assert.equal(matches[0]?.band, 'strong');
    const twin = matches.find((m) => m.externalId === 'P-2');
    assert.notEqual(twin?.band, 'strong');
  });

  test('a previous surname, an apostrophe and no date of birth', async () => {
    const matches = await as(referrer, (trx) =>
      findMatches(trx, areaId, { givenNames: 'Aoife', familyName: 'Kelly', dateOfBirth: null }),
    );
    assert.equal(matches[0]?.externalId, 'P-3');
    assert.ok(matches[0]?.arms.includes('name_pair'));
    const obrien = await as(referrer, (trx) =>
      findMatches(trx, areaId, { givenNames: 'Aoife', familyName: 'OBrien', dateOfBirth: null }),
    );
    assert.equal(obrien[0]?.externalId, 'P-3');
  });

  test('never returns people of another area, and refuses callers without a matching role in the area', async () => {
    const mine = await as(coordinator, (trx) => findCandidates(trx, areaId, jonathan));
    assert.ok(mine.every((c) => c.externalId !== 'X-1'));
    const theirs = await as(otherAreaCoordinator, (trx) => findCandidates(trx, otherAreaId, jonathan));
    assert.deepEqual(
      theirs.map((c) => c.externalId),
      ['X-1'],
    );
    for (const userId of [otherAreaCoordinator, representative]) {
      await assert.rejects(
        as(userId, (trx) => findCandidates(trx, areaId, jonathan)),
        /not allowed to match people in this area/,
      );
    }
    // The unchecked search is the owner's alone.
    await assert.rejects(
      as(coordinator, (trx) => findCandidates(trx, areaId, jonathan, { as: 'operator' })),
      /permission denied/,
    );
  });

  test('people on the case being matched are not candidates', async () => {
    const caseId = await makeCase(owner.db, areaId);
    const [id] = await insertPeople(owner.db, areaId, [{ ...jonathan, externalId: 'P-4' }]);
    await owner.db
      .insertInto('case_person')
      .values({ case_id: caseId, person_id: id!, role: 'victim', relationship: null })
      .execute();
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, jonathan, { excludeCaseId: caseId }));
    assert.ok(found.some((c) => c.externalId === 'P-1'));
    assert.ok(!found.some((c) => c.externalId === 'P-4'));
  });

  test('the cap bounds the candidates, keeping those found by more arms', async () => {
    const crowd: ImportedPerson[] = Array.from({ length: 60 }, (_, i) => ({
      givenNames: 'John',
      familyName: 'Crowd',
      dateOfBirth: `1970-01-${String((i % 28) + 1).padStart(2, '0')}`,
    }));
    await insertPeople(owner.db, areaId, crowd);
    const query = { givenNames: 'John', familyName: 'Crowd', dateOfBirth: '1970-01-05' };
    const all = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.ok(all.length >= 60);
    const capped = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { cap: 5 }));
    assert.equal(capped.length, 5);
    assert.equal(capped[0]?.dateOfBirth, '1970-01-05');
    const armLimited = await as(coordinator, (trx) =>
      findCandidates(trx, areaId, query, { armLimit: 3, trigramLimit: 3 }),
    );
    assert.ok(armLimited.length <= 3 * ARMS.length);
  });

  test('the cap keeps first the people at the same postcode and under a surname given', async () => {
    const key = postcodeKey(Buffer.alloc(32, 9), 'M9 4QT');
    await insertPeople(owner.db, areaId, [
      // Found by the postcode arm only: a new surname and no date of birth on record.
      { externalId: 'P-20', givenNames: 'Jhon', familyName: 'Ashworth', dateOfBirth: null, postcodeKey: key },
      // Found by the surname arm only: the surname as given, no date of birth on record, another initial.
      { externalId: 'P-21', givenNames: 'Ian', familyName: 'Crowd', dateOfBirth: null },
    ]);
    const query = { givenNames: 'John', familyName: 'Crowd', dateOfBirth: '1970-01-05', postcodeKey: key };
    const capped = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { cap: 5 }));
    assert.equal(capped.length, 5);
    assert.deepEqual(
      capped
        .filter((c) => c.externalId === 'P-20' || c.externalId === 'P-21')
        .map((c) => [c.externalId, c.arms.length])
        .sort(),
      [
        ['P-20', 1],
        ['P-21', 1],
      ],
      'each found by one arm, yet kept ahead of the crowd found by several',
    );
    assert.equal(capped.filter((c) => c.arms.length > 1).length, 3, 'the rest of the cap: found by more arms');
  });

  test('the cap keeps a previous surname with the date of birth as given ahead of undated people under the current one', async () => {
    await insertPeople(owner.db, areaId, [
      // Found by the surname arm only: the current surname given, no date of birth on record.
      ...['Ian', 'Kate', 'Lee', 'Mary', 'Nina', 'Owen'].map((givenNames, i) => ({
        externalId: `P-3${i}`,
        givenNames,
        familyName: 'Capwilson',
        dateOfBirth: null,
      })),
      // The person both the previous surname and the date of birth agree on.
      { externalId: 'P-39', givenNames: 'Olivia', familyName: 'Capjones', dateOfBirth: '1995-07-25' },
    ]);
    const query = {
      givenNames: 'Olikiva',
      familyName: 'Capwilson',
      previousSurnames: ['Capjones'],
      dateOfBirth: '1995-07-25',
    };
    const capped = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { cap: 5 }));
    assert.equal(capped.length, 5);
    assert.equal(capped[0]?.externalId, 'P-39', 'kept, and first: found by more arms');
    assert.ok(capped[0]?.arms.includes('surname_dob'));
  });

  test('the cap keeps the person at the postcode given ahead of everyone under the surnames given', async () => {
    const key = postcodeKey(Buffer.alloc(32, 9), 'M5 6JA');
    await insertPeople(owner.db, areaId, [
      // Found by the surname arm only: the current or the previous surname given, no date of birth on record.
      ...['Ian', 'Kate', 'Lee'].map((givenNames) => ({ givenNames, familyName: 'Capdawson', dateOfBirth: null })),
      ...['Mary', 'Nina', 'Owen'].map((givenNames) => ({ givenNames, familyName: 'Capjonas', dateOfBirth: null })),
      // The one person at the postcode given, under another surname: found by the postcode arm alone.
      { externalId: 'P-40', givenNames: 'Harry', familyName: 'Otherley', dateOfBirth: '1982-12-25', postcodeKey: key },
    ]);
    const query = {
      givenNames: 'Garyr',
      familyName: 'Capdawson',
      previousSurnames: ['Capjonas'],
      dateOfBirth: null,
      birthYearEstimate: 1985,
      postcodeKey: key,
    };
    const capped = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { cap: 5 }));
    assert.equal(capped.length, 5);
    assert.deepEqual(
      capped.find((c) => c.externalId === 'P-40')?.arms,
      ['postcode'],
      'kept though least like the name',
    );
  });

  test('a nickname unlike the full name, a new surname and a slipped date still meet her', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-41', givenNames: 'Charlotte', familyName: 'Wilsworth', dateOfBirth: '1995-10-20' },
    ]);
    const query = { givenNames: 'Lottie', familyName: 'Hghse', dateOfBirth: '1995-10-29' };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.deepEqual(found.find((c) => c.externalId === 'P-41')?.arms, ['forename_dob_part']);
  });

  test('over their limit, the date-part arms keep the date as given before closer names', async () => {
    await insertPeople(owner.db, areaId, [
      // Closer names, born in the same month (two of the date's three parts).
      ...[1, 2, 3, 4].map((day) => ({ givenNames: 'Amelia', familyName: 'Hodgson', dateOfBirth: `1990-06-0${day}` })),
      { externalId: 'P-42', givenNames: 'Amelia', familyName: 'Kenofield', dateOfBirth: '1990-06-12' },
    ]);
    const query = { givenNames: 'Ameloa', familyName: 'Hodgsin', dateOfBirth: '1990-06-12' };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { armLimit: 3 }));
    assert.ok(found.find((c) => c.externalId === 'P-42')?.arms.includes('forename_dob_part'));
  });

  test('each surname given has its own limit in the surname arm: a common current one does not crowd out a rare previous one', async () => {
    await insertPeople(owner.db, areaId, [
      ...Array.from({ length: 5 }, (_, i) => ({
        givenNames: ['Oiva', 'Oivi', 'Oiba', 'Viva', 'Iva'][i]!,
        familyName: 'Commonfield',
        dateOfBirth: null,
      })),
      { externalId: 'P-22', givenNames: 'Olivia', familyName: 'Rarebrook', dateOfBirth: null },
    ]);
    const query = {
      givenNames: 'Oiva',
      familyName: 'Commonfield',
      previousSurnames: ['Rarebrook'],
      dateOfBirth: null,
    };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { armLimit: 3 }));
    assert.ok(found.find((c) => c.externalId === 'P-22')?.arms.includes('surname'));
    assert.equal(found.filter((c) => c.familyName === 'Commonfield' && c.arms.includes('surname')).length, 3);
  });

  test('the matcher behind submission links only what the exact matcher would', async () => {
    const caseId = await makeCase(owner.db, areaId);
    const link = (person: { givenNames: string; familyName: string; dateOfBirth: string | null }) =>
      as(referrer, (trx) => candidatePersonMatcher.match(trx, areaId, { ...person, aliases: [], caseId }));
    // P-1, or P-4 (the same man, put on a case by an earlier test): both agree exactly.
    const exact = await owner.db
      .selectFrom('person')
      .select('identity_id')
      .where('external_id', 'in', ['P-1', 'P-4'])
      .execute();
    const linked = await link({ givenNames: 'JONATHAN', familyName: 'smith', dateOfBirth: '1985-03-04' });
    assert.ok(exact.some((row) => row.identity_id === linked));
    // A nickname, a misspelling, a swapped date or no date at all: offered by findMatches, never linked here.
    assert.equal(await link({ givenNames: 'Jon', familyName: 'Smith', dateOfBirth: '1985-03-04' }), null);
    assert.equal(await link({ givenNames: 'Jonathan', familyName: 'Smyth', dateOfBirth: '1985-03-04' }), null);
    assert.equal(await link({ givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-04-03' }), null);
    assert.equal(await link({ givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: null }), null);
  });

  test('query keys are computed as the stored columns are', () => {
    const keys = queryKeys({ givenNames: 'Liz', familyName: 'Smith', dateOfBirth: '1990-02-11', postcode: 'm1 1ae' });
    assert.deepEqual(keys.canonical, ['elizabeth']);
    assert.equal(keys.swapped, '1990-11-02');
    assert.ok(keys.pairKeys.includes('elizabeth|smith'));
    assert.ok(keys.outcodeKeys.every((k) => k.endsWith('|M1')));
    assert.ok(keys.yearKeys.includes('463000|1990'));
    assert.deepEqual(
      keys.forenamePartKeys.filter((k) => k.startsWith('LS|')),
      ['LS|m0211', 'LS|y199002', 'LS|d199011'],
    );
  });

  test('the database computes the stored part and deletion keys exactly as the query keys are computed', async () => {
    const person = { givenNames: 'Zoë', familyName: 'Kowalski', dateOfBirth: '1979-08-01' };
    const [id] = await insertPeople(owner.db, areaId, [person]);
    const { rows } = await sql<{ surname_parts: string[]; forename_parts: string[]; deletions: string[] }>`
      select marac_dob_part_keys(family_name_dm || family_name_metaphone, dob_year, dob_month, dob_day) as surname_parts,
             marac_dob_part_keys(given_names_metaphone || forename_canonical, dob_year, dob_month, dob_day)
               as forename_parts,
             marac_deletion_keys(family_name_normalised) as deletions
        from person where id = ${id}::uuid`.execute(owner.db);
    const keys = queryKeys(person);
    assert.deepEqual([...rows[0]!.surname_parts].sort(), [...keys.surnamePartKeys].sort());
    assert.deepEqual([...rows[0]!.forename_parts].sort(), [...keys.forenamePartKeys].sort());
    assert.deepEqual(rows[0]!.deletions, deletionKeys('kowalski'));
    assert.deepEqual(keys.surnameDeletions.slice(0, 3), ['kowalski|z', 'owalski|z', 'kwalski|z']);
    assert.deepEqual(deletionKeys('lee'), ['lee']);
  });

  test('the area name counts answer only those allowed to match in the area, and count every row', async () => {
    const counts = (userId: string, area: string) =>
      as(userId, (trx) =>
        sql<{ population: string; surname: string; people: string }>`
          select * from marac_area_name_counts(${area}::uuid, ${['smith', 'nobody']}::text[])`.execute(trx),
      );
    const { rows } = await counts(coordinator, areaId);
    const { rows: all } = await sql<{ n: string }>`
      select count(*) as n from person where area_id = ${areaId}::uuid`.execute(owner.db);
    assert.equal(Number(rows[0]!.population), Number(all[0]!.n));
    assert.ok(Number(rows.find((r) => r.surname === 'smith')!.people) >= 2);
    assert.equal(Number(rows.find((r) => r.surname === 'nobody')!.people), 0);
    await assert.rejects(counts(representative, areaId), /not allowed/);
    await assert.rejects(counts(otherAreaCoordinator, areaId), /not allowed/);
  });

  test('dates one digit away are real dates, each one digit from the date given', () => {
    const near = datesOneDigitAway('1985-03-04');
    assert.ok(near.includes('1986-03-04') && near.includes('1985-08-04') && near.includes('1985-03-14'));
    assert.ok(!near.includes('1985-03-04') && !near.includes('1985-13-04') && !near.includes('1985-03-44'));
    for (const date of near) {
      const differing = [...date].filter((c, i) => c !== '1985-03-04'[i]).length;
      assert.equal(differing, 1, date);
    }
    assert.ok(!datesOneDigitAway('2024-02-28').includes('2024-02-38'));
  });

  test('a new surname with the old one given and a slipped year still meets the record', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-9', givenNames: 'Harriet', familyName: 'Quennell', dateOfBirth: '1964-02-02' },
    ]);
    const found = await as(coordinator, (trx) =>
      findCandidates(trx, areaId, {
        givenNames: 'Hariet',
        familyName: 'Abernethy',
        previousSurnames: ['Quennell'],
        dateOfBirth: '1934-02-02',
      }),
    );
    const hit = found.find((c) => c.externalId === 'P-9');
    assert.ok(hit, 'found');
    assert.ok(hit.arms.includes('surname_dob_part') && hit.arms.includes('dob_near'), hit.arms.join());
  });

  test('with no date of birth, a surname one slip away still meets the record', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-10', givenNames: 'Evie', familyName: 'Talonman', dateOfBirth: '2001-05-20' },
    ]);
    const query = { givenNames: 'Evue', familyName: 'Talomman', dateOfBirth: null };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.deepEqual(found.find((c) => c.externalId === 'P-10')?.arms, ['surname_slip']);
    // With a date of birth the surname arm only looks at people recorded without one.
    const dated = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...query, dateOfBirth: '1950-01-01' }));
    assert.equal(
      dated.find((c) => c.externalId === 'P-10'),
      undefined,
    );
  });
});

describe('the postcode key', () => {
  const secret = Buffer.alloc(32, 7);
  test('is the same for one postcode however it is written, and differs by postcode and by secret', () => {
    const key = postcodeKey(secret, 'M1 1AE');
    assert.ok(key);
    assert.equal(postcodeKey(secret, 'm11ae'), key);
    assert.equal(postcodeKey(secret, ' M1  1AE '), key);
    assert.notEqual(postcodeKey(secret, 'M1 1AF'), key);
    assert.notEqual(postcodeKey(Buffer.alloc(32, 8), 'M1 1AE'), key);
    assert.doesNotMatch(key, /M1|1AE|m11ae/i);
  });

  test('is only made of a whole valid postcode', () => {
    assert.equal(postcodeKey(secret, 'M1'), null);
    assert.equal(postcodeKey(secret, 'not known'), null);
    assert.equal(postcodeKey(secret, 'M1 1AEX'), null);
  });

  test('a new surname, no date of birth and a slipped forename: found and offered at the same postcode', async () => {
    const key = postcodeKey(secret, 'SK4 2DE');
    await insertPeople(owner.db, areaId, [
      {
        externalId: 'P-11',
        givenNames: 'Rosalind',
        familyName: 'Peverell',
        dateOfBirth: '1979-08-14',
        postcode: 'SK4 2DE',
        postcodeKey: key,
      },
      {
        externalId: 'P-12',
        givenNames: 'Rosalind',
        familyName: 'Peverell',
        dateOfBirth: '1979-08-14',
        postcode: 'SK4 3DE',
        postcodeKey: postcodeKey(secret, 'SK4 3DE'),
      },
    ]);
    const query = {
      givenNames: 'Rosalnd',
      familyName: 'Ashdown',
      dateOfBirth: null,
      postcode: 'SK4 2DE',
      postcodeKey: key,
    };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.ok(found.find((c) => c.externalId === 'P-11')?.arms.includes('postcode'));
    assert.ok(!found.find((c) => c.externalId === 'P-12')?.arms.includes('postcode'), 'another postcode');
    const matches = await as(coordinator, (trx) => findMatches(trx, areaId, query));
    const match = matches.find((m) => m.externalId === 'P-11');
    assert.equal(match?.band, 'possible');
    assert.equal(match.evidence.find((e) => e.field === 'address')?.level, 'exact');
    assert.equal(
      matches.find((m) => m.externalId === 'P-12'),
      undefined,
      'the same outward code is not enough',
    );
    // Without the key, the outward code and a slipped forename are not enough to offer her.
    const keyless = await as(coordinator, (trx) => findMatches(trx, areaId, { ...query, postcodeKey: null }));
    assert.equal(
      keyless.find((m) => m.externalId === 'P-11'),
      undefined,
    );
  });
});

describe('an approximate age', () => {
  test('finds a forename born within three years of the year it gives, when the surname is new', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-13', givenNames: 'Philippa', familyName: 'Tregothnan', dateOfBirth: '1971-06-30' },
      { externalId: 'P-14', givenNames: 'Philippa', familyName: 'Tregothnan', dateOfBirth: '1961-06-30' },
    ]);
    const query = { givenNames: 'Philippa', familyName: 'Wrexley', dateOfBirth: null, birthYearEstimate: 1973 };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.ok(found.find((c) => c.externalId === 'P-13')?.arms.includes('forename_age'));
    assert.equal(
      found.find((c) => c.externalId === 'P-14'),
      undefined,
      'born ten years apart',
    );
    const matches = await as(coordinator, (trx) => findMatches(trx, areaId, query));
    assert.equal(matches.find((m) => m.externalId === 'P-13')?.evidence.find((e) => e.field === 'age')?.level, 'close');
    // Without the age, nothing the referral gives leads to her.
    const unaged = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...query, birthYearEstimate: null }));
    assert.equal(
      unaged.find((c) => c.externalId === 'P-13'),
      undefined,
    );
    // With a date of birth the estimate is not used.
    const dated = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...query, dateOfBirth: '1950-01-01' }));
    assert.ok(!dated.find((c) => c.externalId === 'P-13')?.arms.includes('forename_age'));
  });
});

describe('a nickname with an approximate age', () => {
  test('meets the full name recorded, born within three years, though the surname is new', async () => {
    // Danny sounds unlike Daniel (TN, TNL): the arm also reads the codes of the names a nickname stands for.
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-NICK-AGE', givenNames: 'Daniel', familyName: 'Quimbleton', dateOfBirth: '1978-04-15' },
    ]);
    const query = { givenNames: 'Danny', familyName: 'Vorstrand', dateOfBirth: null, birthYearEstimate: 1979 };
    assert.ok(queryKeys(query).forenameCodes.includes('TNL'));
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.deepEqual(found.find((c) => c.externalId === 'P-NICK-AGE')?.arms, ['forename_age']);
    const far = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...query, birthYearEstimate: 1990 }));
    assert.equal(
      far.find((c) => c.externalId === 'P-NICK-AGE'),
      undefined,
    );
  });
});

describe('the forename + age arm over its limit', () => {
  test('keeps the names closest to the one given', async () => {
    // Five people with the same forename born within three years, more than the arm's limit of two here: the one
    // whose surname is one letter away is kept, though its id may sort last.
    await insertPeople(
      owner.db,
      areaId,
      ['Quennell', 'Quarrington', 'Quayle', 'Quorndon', 'Quenby'].map((familyName, i) => ({
        externalId: `P-AGE-${i}`,
        givenNames: 'Rosalind',
        familyName,
        dateOfBirth: `198${i}-02-11`,
      })),
    );
    const query = { givenNames: 'Rosalind', familyName: 'Quornden', dateOfBirth: null, birthYearEstimate: 1982 };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query, { armLimit: 2 }));
    const byAge = found.filter((c) => c.arms.includes('forename_age')).map((c) => c.externalId);
    assert.equal(byAge.length, 2);
    assert.ok(byAge.includes('P-AGE-3'), byAge.join());
  });

  test('answers for a name longer than edit distance takes (255 characters)', async () => {
    const long = { givenNames: 'Rosalind', familyName: 'Q'.repeat(300), dateOfBirth: null, birthYearEstimate: 1982 };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, long));
    assert.ok(found.some((c) => c.externalId?.startsWith('P-AGE-') && c.arms.includes('forename_age')));
  });
});

describe('slipped surnames the other arms miss', () => {
  test('with an approximate age, a surname one slip away meets her though her forename slipped at its start', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-15', givenNames: 'Amelia', familyName: 'Lanarani', dateOfBirth: '1984-09-23' },
    ]);
    const query = { givenNames: 'melia', familyName: 'Lanarain', dateOfBirth: null, birthYearEstimate: 1986 };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.deepEqual(found.find((c) => c.externalId === 'P-15')?.arms, ['surname_slip_age']);
    const far = await as(coordinator, (trx) => findCandidates(trx, areaId, { ...query, birthYearEstimate: 1995 }));
    assert.equal(
      far.find((c) => c.externalId === 'P-15'),
      undefined,
      'born more than three years from it',
    );
  });

  test('a referral with a date of birth meets a record without one under a surname one slip away', async () => {
    await insertPeople(owner.db, areaId, [
      { externalId: 'P-16', givenNames: 'Ella', familyName: 'Kelonmore', dateOfBirth: null },
      { externalId: 'P-17', givenNames: 'Ella', familyName: 'Kelonmore', dateOfBirth: '1999-01-01' },
    ]);
    const query = { givenNames: 'Ellas', familyName: 'Kelobmore', dateOfBirth: '2006-02-04' };
    const found = await as(coordinator, (trx) => findCandidates(trx, areaId, query));
    assert.ok(found.find((c) => c.externalId === 'P-16')?.arms.includes('undated_surname_slip'));
    assert.ok(
      !found.find((c) => c.externalId === 'P-17')?.arms.includes('undated_surname_slip'),
      'only people recorded without a date',
    );
  });
});

describe('blocking recall on a small generated set', () => {
  test('moderate corruptions of known people are still found among the candidates', async () => {
    const areaIdForSet = (await makeArea(owner.db)).id;
    await owner.db
      .insertInto('membership')
      .values({ user_id: coordinator, area_id: areaIdForSet, role: 'coordinator' })
      .execute();
    const population = generatePopulation({ persons: 2000, seed: 7 });
    const ids = await insertPeople(owner.db, areaIdForSet, population.persons);
    const queries = corrupt(population, { tier: 'moderate', queries: 200, seed: 8 });
    let found = 0;
    for (const query of queries) {
      const candidates = await as(coordinator, (trx) => findCandidates(trx, areaIdForSet, query.person));
      if (candidates.some((c) => c.personId === ids[query.truth!])) found++;
    }
    assert.ok(found / queries.length >= 0.97, `blocking recall ${found}/${queries.length}`);
  });

  test('hard corruptions (no date, new surname, two slips) are mostly still found among the candidates', async () => {
    const areaIdForSet = (await makeArea(owner.db)).id;
    const population = generatePopulation({ persons: 2000, seed: 9 });
    const ids = await insertPeople(owner.db, areaIdForSet, population.persons);
    const queries = corrupt(population, { tier: 'hard', queries: 200, seed: 10 });
    let found = 0;
    for (const query of queries) {
      const candidates = await findCandidates(owner.db, areaIdForSet, query.person, { as: 'operator' });
      if (candidates.some((c) => c.personId === ids[query.truth!])) found++;
    }
    // About 4% give only a slipped forename (no date of birth, a new surname and no previous one): see
    // docs/matching-benchmark.md.
    assert.ok(found / queries.length >= 0.9, `blocking recall ${found}/${queries.length}`);
  });
});
