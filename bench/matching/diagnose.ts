// Temporary diagnosis: times each arm and the whole search on a loaded database.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { findCandidates, queryKeys } from '../../src/features/people/matching/candidates.ts';
import { rankCandidates } from '../../src/features/people/matching/match.ts';
import { insertPeople } from '../../src/features/people/matching/store.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrator.ts';
import { generatePopulation, referralStream } from './generate.ts';

const n = Number(process.argv[2] ?? 20000);
const server = process.argv[3];
let database;
const name = `marac_diag_${process.pid}`;
if (server) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  database = await openDatabase({ engine: 'postgres', url: url.toString(), ownerUrl: url.toString() }, 'owner');
} else database = await openDatabase({ engine: 'pglite', dataDir: 'memory://' }, 'owner');
const { db } = database;
await migrate(db);
const area = await db.insertInto('marac_area').values({ name: 'D' }).returning('id').executeTakeFirstOrThrow();
const population = generatePopulation({ persons: n, seed: 1 });
const ids = await insertPeople(db, area.id, population.persons, undefined, 1000);
await sql`analyze person`.execute(db);
const stream = referralStream(population, { tier: 'hard', referrals: 300, seed: 2, newShare: 0 });
let found = 0, offered = 0;
const times: number[] = [];
const reasons: Record<string, number> = {};
for (const r of stream) {
  const t = performance.now();
  const c = await findCandidates(db, area.id, r.person, { as: 'operator' });
  times.push(performance.now() - t);
  const truth = ids[r.truth!]!;
  const hit = c.find((x) => x.personId === truth);
  if (hit) {
    found++;
    const ranked = rankCandidates(r.person, c, { includeNone: true, limit: 500 });
    const m = ranked.find((x) => x.personId === truth)!;
    if (m.band !== 'none') offered++;
    else {
      const key = m.evidence.filter((e) => e.field !== 'band').map((e) => `${e.field}:${e.level}`).join(' ');
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
  } else {
    const src = population.persons[r.truth!]!;
    const key = `MISS ${src.givenNames} ${src.familyName} ${src.dateOfBirth} -> ${r.person.givenNames} ${r.person.familyName} ${r.person.dateOfBirth}`;
    reasons[key] = 1;
  }
}
times.sort((a, b) => a - b);
console.log({ found, offered, n: stream.length, p50: times[150], p99: times[297] });
for (const [k, v] of Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(v, k);
// Arm timings for one query
const k = queryKeys(stream[0]!.person);
for (const [label, q] of [
  ['func', sql`explain analyze select * from marac_person_candidates_unchecked(${area.id}::uuid, ${k.family}, ${k.full}, ${k.canonical}::text[], ${k.dob}::date, ${k.swapped}::date, ${k.initials}::text[], ${k.yearKeys}::text[], ${k.initialKeys}::text[], ${k.forenameYearKeys}::text[], ${k.pairKeys}::text[], ${k.outcodeKeys}::text[], null, 100, 20, 200)`],
  ['trgm', sql`explain analyze select id from person where area_id = ${area.id}::uuid and full_name_normalised % ${k.full} order by similarity(full_name_normalised, ${k.full}) desc limit 20`],
  ['year', sql`explain analyze select id from person where area_id = ${area.id}::uuid and marac_tagged_keys(family_name_dm || family_name_metaphone, dob_year::text) && ${k.yearKeys}::text[] limit 100`],
] as const) {
  const { rows } = await q.execute(db);
  console.log(label, rows.map((r) => Object.values(r as object)[0]).join('\n'));
}
await database.close();
if (server) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  await c.query(`drop database ${name} with (force)`);
  await c.end();
}
