import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { matchingColumns, type MatchingColumns } from '../src/features/people/matching/columns.ts';
import { postcodeKeyFor } from '../src/features/people/postcodes.ts';
import { keyringFromSettings } from '../src/platform/crypto/keyring.ts';
import { insertPeople } from '../src/features/people/matching/store.ts';
import { reindexArea, type ReindexProgress } from '../src/features/people/reindex.ts';
import { openDatabase, type Database, type DatabaseTarget } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { makeArea } from './factories.ts';
import { createTestTarget } from './harness.ts';

const BIN = new URL('../bin/marac.js', import.meta.url).pathname;

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `marac` command with only the given environment (plus PATH). */
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function envFor(target: DatabaseTarget): Record<string, string> {
  return target.engine === 'postgres'
    ? { DATABASE_URL: target.url, DATABASE_OWNER_URL: target.ownerUrl }
    : { MARAC_DATA_DIR: target.dataDir };
}

/** Opens the database as its owner, does something, and closes it again (PGlite allows one process at a time). */
async function asOwner<T>(target: DatabaseTarget, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(target, 'owner');
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'marac-people-'));
function file(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

const target = await createTestTarget();
// Keys of its own, so the postcode keys the command writes can be checked.
const keySettings = {
  MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
  MARAC_INDEX_KEY: randomBytes(32).toString('base64'),
};
const keyring = keyringFromSettings(keySettings)!;
const env = { ...envFor(target), ...keySettings };
const { areaId, otherAreaId } = await asOwner(target, async ({ db }) => {
  await migrate(db);
  return { areaId: (await makeArea(db)).id, otherAreaId: (await makeArea(db)).id };
});
const peopleIn = (area: string) =>
  asOwner(target, ({ db }) =>
    db.selectFrom('person').select(['external_id', 'forename_canonical']).where('area_id', '=', area).execute(),
  );

/** The matching columns of an area's people, by external id. */
const matchingColumnsIn = (area: string) =>
  asOwner(target, async ({ db }) => {
    const rows = await db
      .selectFrom('person')
      .select([
        'external_id',
        'given_names_normalised',
        'family_name_normalised',
        'full_name_normalised',
        'forename_canonical',
        'given_names_metaphone',
        'family_name_metaphone',
        'given_names_dm',
        'family_name_dm',
        'dob_year',
        'dob_month',
        'dob_day',
        'postcode_outcode',
        'postcode_key',
        'previous_surnames',
        'other_surnames_normalised',
      ])
      .where('area_id', '=', area)
      .execute();
    return new Map(rows.map(({ external_id, ...columns }): [string | null, MatchingColumns] => [external_id, columns]));
  });

/** Empties the columns migration 0011 left empty on older rows (and the ones it filled), as a direct update would. */
const blankMatchingColumns = (db: Database['db'], area: string) =>
  db
    .updateTable('person')
    .set({
      full_name_normalised: '',
      forename_canonical: [],
      given_names_metaphone: [],
      family_name_metaphone: [],
      given_names_dm: [],
      family_name_dm: [],
      dob_year: null,
      dob_month: null,
      dob_day: null,
      other_surnames_normalised: [],
    })
    .where('area_id', '=', area)
    .execute();

const reindexEvents = () =>
  asOwner(target, ({ db }) =>
    db
      .selectFrom('audit_event')
      .select(['actor_user_id', 'subject_type', 'subject_id', 'case_id', 'purpose', 'outcome'])
      .where('action', '=', 'person.reindexed')
      .orderBy('seq')
      .execute(),
  );

const good = [
  { externalId: 'P-1', givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04', postcode: 'M1 1AE' },
  { externalId: 'P-2', givenNames: 'Jane', familyName: 'Smith', dateOfBirth: '1985-03-04' },
  {
    externalId: 'P-3',
    givenNames: 'Aoife',
    familyName: "O'Brien",
    previousSurnames: ['Kelly'],
    aliases: ['Eva Kelly'],
  },
];

describe('marac people', () => {
  test('--help explains both commands, the line format and the exit codes', async () => {
    const help = await run(['people', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: marac people import FILE\.jsonl --area ID$/m);
    assert.match(help.stdout, /^ {7}marac people match FILE\.jsonl --area ID/m);
    assert.match(help.stdout, /^ {7}marac people reindex \(--area ID \| --all-areas\)$/m);
    assert.match(help.stdout, /^reindex {2}Recomputes the matching keys/m);
    assert.match(help.stdout, /^ {2}--all-areas {3}\(reindex\) Every area/m);
    assert.match(help.stdout, /^ {2}1 {3}Nothing imported/m);
    assert.match(help.stdout, /a full postcode also gets its postcode key/);
    const list = await run(['--help']);
    assert.match(list.stdout, /^ {2}people {7}Import people/m);
    assert.match(list.stdout, /recompute their matching keys \(reindex\)/);
  });

  test('usage errors exit 2 and touch nothing', async () => {
    const none = await run(['people'], env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /say what to do/);
    const unknown = await run(['people', 'merge', 'x.jsonl', '--area', areaId], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown people command "merge"/);
    const noArea = await run(['people', 'import', 'x.jsonl'], env);
    assert.equal(noArea.code, 2);
    assert.match(noArea.stderr, /--area must be the id of a MARAC area/);
    const badLimit = await run(['people', 'match', 'x.jsonl', '--area', areaId, '--limit', 'lots'], env);
    assert.equal(badLimit.code, 2);
    const allAreasImport = await run(['people', 'import', 'x.jsonl', '--all-areas'], env);
    assert.equal(allAreasImport.code, 2);
    assert.match(allAreasImport.stderr, /--all-areas is for reindex only/);
  });

  test('reindex usage errors exit 2 and record nothing', async () => {
    const before = await reindexEvents();
    const cases: [string[], RegExp][] = [
      [[], /--area must be the id of a MARAC area \(a UUID\), or give --all-areas/],
      [['--area', 'not-an-id'], /--area must be the id of a MARAC area/],
      [['--area', areaId, '--all-areas'], /give --area ID or --all-areas, not both/],
      [['people.jsonl', '--area', areaId], /reindex takes no file/],
      [['--area', areaId, '--limit', '3'], /--limit is for match only/],
    ];
    for (const [args, message] of cases) {
      const result = await run(['people', 'reindex', ...args], env);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(await reindexEvents(), before);
  });

  test('a malformed line is reported by number and nothing is imported', async () => {
    const cases: [unknown[], RegExp][] = [
      [[good[0], '{"externalId": "P-9", "givenNames": "Ann"', good[1]], /line 2: not valid JSON; nothing imported/],
      [[good[0], good[1], { ...good[2], dateOfBirth: '1985-02-30' }], /line 3: dateOfBirth: must be a real date/],
      [[good[0], { ...good[1], externalId: undefined }], /line 2: externalId is required/],
      [[good[0], { ...good[1], externalId: 'P-1' }], /line 2: externalId repeats the one on line 1/],
      [[good[0], { ...good[1], nickname: 'Janey' }], /line 2: the line: Unrecognized key/],
      [[{ ...good[0], postcode: 'nowhere' }], /line 1: postcode: must be a UK postcode or outward code/],
    ];
    for (const [lines, message] of cases) {
      const result = await run(['people', 'import', file('bad.jsonl', lines), '--area', areaId], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, message);
      // The message names the field, never the person.
      assert.doesNotMatch(result.stderr, /Jonathan|Smith|Janey/);
    }
    const missing = await run(['people', 'import', join(dir, 'absent.jsonl'), '--area', areaId], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*absent\.jsonl \(ENOENT\)/);
    assert.deepEqual(await peopleIn(areaId), []);
  });

  test('imports all the people with their matching columns, and refuses a clashing re-import whole', async () => {
    const imported = await run(['people', 'import', file('good.jsonl', good), '--area', areaId], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^Imported 3 people\.$/m);
    assert.match(imported.stderr, /^imported 3\/3 /m);
    const rows = await peopleIn(areaId);
    assert.deepEqual(rows.map((r) => r.external_id).sort(), ['P-1', 'P-2', 'P-3']);
    assert.deepEqual(rows.find((r) => r.external_id === 'P-1')?.forename_canonical, ['jonathan']);
    // A full postcode is kept as its outward code and its postcode key; no postcode, neither.
    const columns = await matchingColumnsIn(areaId);
    assert.equal(columns.get('P-1')?.postcode_outcode, 'M1');
    assert.equal(columns.get('P-1')?.postcode_key, postcodeKeyFor(keyring, 'M1 1AE'));
    assert.match(columns.get('P-1')?.postcode_key ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.equal(columns.get('P-2')?.postcode_key, null);
    assert.equal(columns.get('P-3')?.postcode_key, null);

    const again = await run(
      ['people', 'import', file('again.jsonl', [{ ...good[0], externalId: 'P-4' }, good[1]]), '--area', areaId],
      env,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /externalId P-2 is already in this area; nothing imported/);
    assert.equal((await peopleIn(areaId)).length, 3);

    const unknownArea = await run(
      ['people', 'import', file('x.jsonl', good), '--area', '00000000-0000-4000-8000-000000000000'],
      env,
    );
    assert.equal(unknownArea.code, 1);
    assert.match(unknownArea.stderr, /there is no area/);
  });

  test('import keys only full postcodes, under the index key it is given', async () => {
    const lines = [
      { externalId: 'K-1', givenNames: 'Mara', familyName: 'Quell', postcode: 'ls62ab' },
      { externalId: 'K-2', givenNames: 'Mara', familyName: 'Quell', postcode: 'LS6' },
    ];
    const imported = await run(['people', 'import', file('keys.jsonl', lines), '--area', otherAreaId], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.doesNotMatch(imported.stdout + imported.stderr, /LS6|2AB/i, 'no postcode printed');
    const columns = await matchingColumnsIn(otherAreaId);
    assert.equal(columns.get('K-1')?.postcode_key, postcodeKeyFor(keyring, 'LS6 2AB'));
    assert.equal(columns.get('K-2')?.postcode_outcode, 'LS6');
    assert.equal(columns.get('K-2')?.postcode_key, null, 'an outward code alone has no key');
    // Another index key gives another postcode key for the same postcode.
    const other = { ...env, MARAC_INDEX_KEY: randomBytes(32).toString('base64') };
    const again = await run(
      ['people', 'import', file('keys2.jsonl', [{ ...lines[0], externalId: 'K-3' }]), '--area', otherAreaId],
      other,
    );
    assert.equal(again.code, 0, again.stderr);
    const key3 = (await matchingColumnsIn(otherAreaId)).get('K-3')?.postcode_key;
    assert.ok(key3);
    assert.notEqual(key3, columns.get('K-1')?.postcode_key);
    await asOwner(target, ({ db }) =>
      db.deleteFrom('person').where('area_id', '=', otherAreaId).where('external_id', 'like', 'K-%').execute(),
    );
  });

  test('match prints one JSON line per input line with ranked candidates from that area only', async () => {
    const queries = file('queries.jsonl', [
      { externalId: 'R-1', givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' },
      '',
      { givenNames: 'Zebedee', familyName: 'Nobody', dateOfBirth: '2001-01-01' },
      { givenNames: 'Aoife', familyName: 'Kelly' },
    ]);
    const result = await run(['people', 'match', queries, '--area', areaId], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^matched 3\/3 /m);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            line: number;
            externalId: string | null;
            candidates: { personId: string; externalId: string; score: number; band: string; evidence: string[] }[];
          },
      );
    assert.deepEqual(
      lines.map((l) => [l.line, l.externalId]),
      [
        [1, 'R-1'],
        [3, null],
        [4, null],
      ],
    );
    const [jon, nobody, aoife] = lines;
    assert.equal(jon?.candidates[0]?.externalId, 'P-1');
    assert.equal(jon?.candidates[0]?.band, 'possible');
    assert.match(jon?.candidates[0]?.personId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(typeof jon?.candidates[0]?.score, 'number');
    assert.ok(jon?.candidates[0]?.evidence.includes('forename: nickname (Jon ~ Jonathan) +4.9'));
    assert.ok(jon?.candidates[0]?.evidence.some((e) => e.startsWith('date of birth: day month swapped')));
    assert.deepEqual(nobody?.candidates, []);
    assert.equal(aoife?.candidates[0]?.externalId, 'P-3');

    // The same query against another area finds nobody there.
    const elsewhere = await run(['people', 'match', queries, '--area', otherAreaId], env);
    assert.equal(elsewhere.code, 0);
    for (const line of elsewhere.stdout.trim().split('\n'))
      assert.deepEqual((JSON.parse(line) as { candidates: unknown[] }).candidates, []);
  });
  test('reindex recomputes blanked matching columns from each row, keeps the outward code, and is audited', async () => {
    // As rows written before migration 0011 are: no phonetic codes, no canonical forenames, no date parts. P-2 was
    // imported without a postcode; give it an outward code that only the database knows.
    await asOwner(target, ({ db }) => blankMatchingColumns(db, areaId));
    await asOwner(target, ({ db }) =>
      db
        .updateTable('person')
        .set({ postcode_outcode: 'SW1A' })
        .where('area_id', '=', areaId)
        .where('external_id', '=', 'P-2')
        .execute(),
    );
    // A person in another area, blanked too: reindexing one area leaves it alone.
    await asOwner(target, async ({ db }) => {
      await insertPeople(db, otherAreaId, [
        { externalId: 'Q-1', givenNames: 'Siobhan', familyName: 'Murphy', dateOfBirth: '1990-07-12' },
      ]);
      await blankMatchingColumns(db, otherAreaId);
    });
    const blanked = await matchingColumnsIn(areaId);
    assert.deepEqual(blanked.get('P-1')?.family_name_metaphone, []);
    const before = await reindexEvents();

    const result = await run(['people', 'reindex', '--area', areaId], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Reindexed 3 of 3 people in area ${areaId}.\n`);
    assert.match(result.stderr, new RegExp(`^reindexed area ${areaId}: 3/3 checked, 3 changed \\(`, 'm'));
    assert.doesNotMatch(result.stdout + result.stderr, /Jonathan|Jane|Smith|Aoife|Brien|Kelly/i);

    const rows = await matchingColumnsIn(areaId);
    for (const person of good) {
      const postcode = person.externalId === 'P-2' ? 'SW1A' : (person.postcode ?? null);
      // The postcode key cannot be recomputed (the postcode is not stored): it is kept, like the outward code.
      const postcodeKey = postcodeKeyFor(keyring, person.postcode);
      assert.deepEqual(
        rows.get(person.externalId),
        matchingColumns({ ...person, dateOfBirth: person.dateOfBirth ?? null, postcode, postcodeKey }),
        person.externalId,
      );
    }
    // Not trivially equal to the blanks: the codes are back.
    assert.notDeepEqual(rows.get('P-1')?.family_name_metaphone, []);
    assert.notDeepEqual(rows.get('P-3')?.other_surnames_normalised, []);
    assert.equal(rows.get('P-1')?.postcode_outcode, 'M1');
    assert.equal(rows.get('P-2')?.postcode_outcode, 'SW1A');
    assert.equal(rows.get('P-3')?.postcode_outcode, null);
    assert.deepEqual((await matchingColumnsIn(otherAreaId)).get('Q-1')?.given_names_metaphone, []);

    const events = await reindexEvents();
    assert.equal(events.length, before.length + 1);
    assert.deepEqual(events.at(-1), {
      actor_user_id: null,
      subject_type: 'marac_area',
      subject_id: areaId,
      case_id: null,
      purpose: 'administration',
      outcome: 'success',
    });

    // Nothing left to change, and the second run is audited too.
    const again = await run(['people', 'reindex', '--area', areaId], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `Reindexed 0 of 3 people in area ${areaId}.\n`);
    assert.match(again.stderr, /3\/3 checked, 0 changed/);
    assert.deepEqual(await matchingColumnsIn(areaId), rows);
    assert.equal((await reindexEvents()).length, before.length + 2);
  });

  test('reindex of an unknown area fails with exit 1 and records nothing', async () => {
    const before = await reindexEvents();
    const result = await run(['people', 'reindex', '--area', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^marac people reindex: there is no area 00000000-0000-4000-8000-000000000000$/m);
    assert.equal(result.stdout, '');
    assert.deepEqual(await reindexEvents(), before);
  });

  test('reindex --all-areas reindexes every area and records one event for the run', async () => {
    const areas = await asOwner(target, ({ db }) => db.selectFrom('marac_area').select('id').execute());
    const before = await reindexEvents();
    const result = await run(['people', 'reindex', '--all-areas'], env);
    assert.equal(result.code, 0, result.stderr);
    // Only the other area's person was still blank.
    assert.equal(result.stdout, `Reindexed 1 of 4 people in ${areas.length} areas.\n`);
    assert.match(result.stderr, new RegExp(`^reindexed area ${otherAreaId}: 1/1 checked, 1 changed `, 'm'));
    assert.deepEqual(
      (await matchingColumnsIn(otherAreaId)).get('Q-1'),
      matchingColumns({ givenNames: 'Siobhan', familyName: 'Murphy', dateOfBirth: '1990-07-12' }),
    );
    const events = await reindexEvents();
    assert.equal(events.length, before.length + 1);
    assert.equal(events.at(-1)?.subject_id, null);
    assert.equal(events.at(-1)?.outcome, 'success');
  });

  test('reindexArea goes through the area in batches, each person once', async () => {
    await asOwner(target, ({ db }) => blankMatchingColumns(db, areaId));
    const progress: ReindexProgress[] = [];
    const counts = await asOwner(target, ({ db }) => reindexArea(db, areaId, (p) => progress.push(p), 2));
    assert.deepEqual(counts, { checked: 3, changed: 3 });
    assert.deepEqual(progress, [
      { checked: 2, changed: 2, total: 3 },
      { checked: 3, changed: 3, total: 3 },
    ]);
    const rows = await matchingColumnsIn(areaId);
    assert.deepEqual(rows.get('P-3'), matchingColumns({ ...good[2]!, dateOfBirth: null }));
    // An exact multiple of the batch size ends too, with nothing to change.
    const exact = await asOwner(target, ({ db }) => reindexArea(db, areaId, () => {}, 3));
    assert.deepEqual(exact, { checked: 3, changed: 0 });
  });
});
