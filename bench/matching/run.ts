/**
 * The person-matching benchmark: `npm run bench:matching -- [--persons N] [--referrals N] [--seed N]
 * [--database postgres://user@host:port/any]`. Loads a synthetic population (generate.ts) into a fresh database
 * (in-memory PGlite, or a database it creates and drops on the given PostgreSQL server), replays a referral stream
 * per tier in time order, and prints one table per tier comparing our matcher with two baselines. Figures only;
 * nothing here asserts a time.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { findCandidates } from '../../src/features/people/matching/candidates.ts';
import { blockingName } from '../../src/features/people/matching/columns.ts';
import { personRecord, rankCandidates } from '../../src/features/people/matching/match.ts';
import { normaliseName, outcodeOf } from '../../src/features/people/matching/normalise.ts';
import { postcodeKey } from '../../src/features/people/matching/postcode-key.ts';
import { insertPeople } from '../../src/features/people/matching/store.ts';
import { describeEvidence, scoreCandidate } from '../../src/features/people/matching/score.ts';
import { surnameFrequencyFromCounts } from '../../src/features/people/matching/weights.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrator.ts';
import type { Schema } from '../../src/platform/db/schema.ts';
import { generatePopulation, referralStream, type GeneratedPerson, type Referral, type Tier } from './generate.ts';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '100000' },
    referrals: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20261123' },
    database: { type: 'string' },
    tiers: { type: 'string', default: 'clean,moderate,hard' },
    // Leave the PostgreSQL database in place at the end (for EXPLAIN); it is named on standard error.
    keep: { type: 'boolean', default: false },
    // Hard-tier referrals that leave out a date of birth give no approximate age either (the benchmark before ages).
    'without-ages': { type: 'boolean', default: false },
    // Write each repeat our matcher does not offer in the first five to this file, one JSON line each, with why.
    losses: { type: 'string' },
  },
});
const persons = Number(values.persons);
const referrals = Number(values.referrals);
const seed = Number(values.seed);
const tiers = values.tiers.split(',') as Tier[];

const log = (message: string) => process.stderr.write(`${message}\n`);

/** The matching index key of this run: the people's postcode keys, and the referrals', are made with it. */
const indexKey = randomBytes(32);
const withPostcodeKey = <T extends { postcode?: string | null }>(person: T): T & { postcodeKey: string | null } => ({
  ...person,
  postcodeKey: person.postcode ? postcodeKey(indexKey, person.postcode) : null,
});

type Offer = { personId: string; band: 'strong' | 'possible' };
type Matcher = {
  name: string;
  run(db: Kysely<Schema>, areaId: string, person: Parameters<typeof findCandidates>[2]): Promise<[Offer[], number]>;
};

let surnameFrequency = surnameFrequencyFromCounts(new Map(), 0);
/** People in the area, for the strong band (grows as new people are put on record). */
let areaPopulation = 0;

const ours: Matcher = {
  name: 'our matcher',
  async run(db, areaId, person) {
    const candidates = await findCandidates(db, areaId, person, { as: 'operator' });
    const ranked = rankCandidates(person, candidates, { surnameFrequency, population: areaPopulation, limit: 10 });
    return [ranked.map((m) => ({ personId: m.personId, band: m.band as Offer['band'] })), candidates.length];
  },
};

/** Exact baseline: the same normalised forenames, surname and date of birth (what submission links today). */
const exact: Matcher = {
  name: 'exact name + DOB',
  async run(db, areaId, person) {
    if (!person.dateOfBirth) return [[], 0];
    const { rows } = await sql<{ id: string }>`
      select id from person
       where area_id = ${areaId}::uuid and family_name_normalised = ${normaliseName(person.familyName)}
         and given_names_normalised = ${normaliseName(person.givenNames)} and date_of_birth = ${person.dateOfBirth}::date
       order by created_at, id limit 10`.execute(db);
    return [rows.map((r) => ({ personId: r.id, band: 'strong' })), rows.length];
  },
};

/**
 * Trigram-only baseline: our trigram arm alone (whole-name similarity ≥ 0.5 among people with the same initials, the
 * five most similar); strong only when the names are identical. An unblocked trigram search over a million people
 * takes up to a second for a common name, which is why the arm is blocked on initials.
 */
const trigram: Matcher = {
  name: 'trigram only',
  async run(db, areaId, person) {
    const full = `${blockingName(person.givenNames)} ${blockingName(person.familyName)}`.trim();
    const initials = (full[0] ?? '') + (normaliseName(person.familyName)[0] ?? '');
    const rows = await db.transaction().execute(async (trx) => {
      await sql`set local pg_trgm.similarity_threshold = 0.5`.execute(trx);
      const result = await sql<{ id: string; similarity: number }>`
        select id, similarity(full_name_normalised, ${full}) as similarity from person
         where area_id = ${areaId}::uuid
           and ((left(full_name_normalised, 1) || left(family_name_normalised, 1) = ${initials}
                 and full_name_normalised % ${full})
                or (left(full_name_normalised, 1) || left(family_name_normalised, 1) = ${[...initials].reverse().join('')}
                    and full_name_normalised % ${full}))
         order by similarity desc, id limit 5`.execute(trx);
      return result.rows;
    });
    return [rows.map((r) => ({ personId: r.id, band: r.similarity >= 1 ? 'strong' : 'possible' })), rows.length];
  },
};

const MATCHERS = [ours, exact, trigram];

/**
 * Why our matcher left a repeat out of its first five, for `--losses`: not among the candidates the search returned,
 * among them but scored below possible, or offered below fifth; with the truth's evidence and the best scores
 * offered. Asked again after the timed match, so it times nothing. The people are generated, not real.
 */
async function explainLoss(
  db: Kysely<Schema>,
  areaId: string,
  tier: Tier,
  position: number,
  referral: Referral,
  record: GeneratedPerson,
  truthId: string,
) {
  const person = withPostcodeKey(referral.person);
  const candidates = await findCandidates(db, areaId, person, { as: 'operator' });
  const options = { surnameFrequency, population: areaPopulation };
  const offered = rankCandidates(person, candidates, { ...options, limit: candidates.length });
  const rank = offered.findIndex((m) => m.personId === truthId);
  const truth = scoreCandidate(
    personRecord(person),
    personRecord({ ...withPostcodeKey(record), postcode: outcodeOf(record.postcode) }),
    options,
  );
  const why = !candidates.some((c) => c.personId === truthId)
    ? 'not found'
    : rank < 0
      ? 'scored below possible'
      : 'outranked';
  const names = (p: { givenNames: string; familyName: string; previousSurnames?: readonly string[] | undefined }) =>
    [p.givenNames, p.familyName, ...(p.previousSurnames ?? []).map((s) => `(née ${s})`)].join(' ');
  const line = {
    tier,
    referral: position,
    why,
    rank: rank < 0 ? null : rank + 1,
    candidates: candidates.length,
    query: {
      name: names(person),
      dateOfBirth: person.dateOfBirth,
      birthYearEstimate: person.birthYearEstimate ?? null,
      postcode: person.postcode,
    },
    truth: {
      name: names(record),
      dateOfBirth: record.dateOfBirth,
      postcode: record.postcode,
      arms: candidates.find((c) => c.personId === truthId)?.arms ?? [],
      score: Number(truth.score.toFixed(2)),
      band: truth.band,
      evidence: truth.evidence.map(describeEvidence),
    },
    offeredScores: offered.slice(0, 5).map((m) => Number(m.score.toFixed(2))),
  };
  appendFileSync(values.losses!, `${JSON.stringify(line)}\n`);
}

type Tally = {
  queries: number;
  repeats: number;
  top1: number;
  top5: number;
  offered: number;
  strong: number;
  strongRight: number;
  possibleFirst: number;
  latencies: number[];
  candidates: number[];
};

const tally = (): Tally => ({
  queries: 0,
  repeats: 0,
  top1: 0,
  top5: 0,
  offered: 0,
  strong: 0,
  strongRight: 0,
  possibleFirst: 0,
  latencies: [],
  candidates: [],
});

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function openBenchDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!values.database) {
    const database = await openDatabase({ engine: 'pglite', dataDir: 'memory://' }, 'owner');
    return { database, drop: () => database.close() };
  }
  const name = `marac_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: values.database });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(values.database);
  url.pathname = `/${name}`;
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), ownerUrl: url.toString() }, 'owner');
  return {
    database,
    async drop() {
      await database.close();
      if (values.keep) {
        log(`kept database ${name}; drop it with: dropdb ${name}`);
        return;
      }
      const client = new pg.Client({ connectionString: values.database });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const engineName = values.database ? 'PostgreSQL server' : 'PGlite (in memory)';
log(`Matching benchmark: ${persons} persons, ${referrals} referrals per tier, seed ${seed}, ${engineName}`);
const { database, drop } = await openBenchDatabase();
try {
  const { db } = database;
  await migrate(db);
  if (values.database) {
    const { rows } = await sql<{ version: string }>`select version()`.execute(db);
    log(rows[0]!.version);
  }
  const area = await db
    .insertInto('marac_area')
    .values({ name: 'Benchmark MARAC' })
    .returning('id')
    .executeTakeFirstOrThrow();
  let started = performance.now();
  const population = generatePopulation({ persons, seed });
  log(`generated ${population.persons.length} persons in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  let lastLog = 0;
  const ids = await insertPeople(
    db,
    area.id,
    population.persons.map(withPostcodeKey),
    (done) => {
      if (performance.now() - lastLog < 5000 && done < persons) return;
      lastLog = performance.now();
      log(`loaded ${done}/${persons} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    },
    1000,
  );
  await sql`vacuum analyze person`.execute(db);
  // Write the load's pages out now: otherwise the server's checkpointer spends the first tier's minutes writing a
  // million people's rows and indexes back to disk, and the timed queries share the disk with it.
  await sql`checkpoint`.execute(db);
  const loadSeconds = (performance.now() - started) / 1000;
  log(`loaded and analysed in ${loadSeconds.toFixed(1)} s`);
  const { rows: counts } = await sql<{ surname: string; count: number }>`
    select family_name_normalised as surname, count(*)::int as count from person
     where area_id = ${area.id}::uuid group by 1`.execute(db);
  surnameFrequency = surnameFrequencyFromCounts(new Map(counts.map((r) => [r.surname, r.count])), persons);
  areaPopulation = persons;

  const output: string[] = [
    `Persons: ${persons}; referrals per tier: ${referrals}; seed: ${seed}; engine: ${engineName}; ` +
      `load: ${loadSeconds.toFixed(0)} s; machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}.`,
  ];
  const newcomersPerTier = Math.floor(population.newcomers.length / tiers.length);
  if (values.losses) writeFileSync(values.losses, '');
  for (const [tierIndex, tier] of tiers.entries()) {
    const stream = referralStream(
      { persons: population.persons, newcomers: population.newcomers.slice(tierIndex * newcomersPerTier) },
      { tier, referrals, seed: seed + tierIndex + 1, ages: !values['without-ages'] },
    );
    const tallies = MATCHERS.map(tally);
    // Warm up caches and plans so the first queries do not time the start-up.
    for (const referral of stream.slice(0, 20)) {
      for (const m of MATCHERS) await m.run(db, area.id, withPostcodeKey(referral.person));
    }
    let done = 0;
    for (const [position, referral] of stream.entries()) {
      const truth = referral.truth === null ? null : ids[referral.truth]!;
      for (const [index, matcher] of MATCHERS.entries()) {
        const t = tallies[index]!;
        const start = performance.now();
        const [offers, candidates] = await matcher.run(db, area.id, withPostcodeKey(referral.person));
        t.latencies.push(performance.now() - start);
        t.candidates.push(candidates);
        t.queries++;
        for (const offer of offers)
          if (offer.band === 'strong') {
            t.strong++;
            if (offer.personId === truth) t.strongRight++;
          }
        if (offers[0]?.band === 'possible') t.possibleFirst++;
        if (truth !== null) {
          t.repeats++;
          const rank = offers.findIndex((o) => o.personId === truth);
          if (rank === 0) t.top1++;
          if (rank >= 0 && rank < 5) t.top5++;
          if (rank >= 0) t.offered++;
          if (matcher === ours && values.losses && !(rank >= 0 && rank < 5))
            await explainLoss(db, area.id, tier, position, referral, population.persons[referral.truth!]!, truth);
        }
      }
      // A new person's referral puts them on record, as submission would.
      if (referral.newcomer) {
        await insertPeople(db, area.id, [withPostcodeKey(referral.newcomer)]);
        areaPopulation++;
      }
      if (++done % 500 === 0) log(`${tier}: ${done}/${stream.length}`);
    }
    const row = (label: string, cell: (t: Tally) => string) =>
      `| ${label} | ${tallies.map((t) => cell(t)).join(' | ')} |`;
    const fixed = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
    output.push(
      '',
      `### Tier: ${tier} (${tallies[0]!.repeats} repeat referrals, ${tallies[0]!.queries - tallies[0]!.repeats} new people)`,
      '',
      `| Metric | ${MATCHERS.map((m) => m.name).join(' | ')} |`,
      `| --- | ${MATCHERS.map(() => '---:').join(' | ')} |`,
      row('Recall@1', (t) => fixed(t.top1 / t.repeats)),
      row('Recall@5', (t) => fixed(t.top5 / t.repeats)),
      row('Strong-band precision', (t) => (t.strong ? fixed(t.strongRight / t.strong, 4) : 'n/a (none strong)')),
      row('Share sent to "possible"', (t) => fixed(t.possibleFirst / t.queries)),
      row('Missed repeats / 1,000 repeats', (t) => fixed((1000 * (t.repeats - t.offered)) / t.repeats, 1)),
      row('False links / 10,000 queries', (t) => fixed((10000 * (t.strong - t.strongRight)) / t.queries, 1)),
      row('Latency p50 / p95 / p99 (ms)', (t) =>
        [50, 95, 99].map((p) => fixed(percentile(t.latencies, p), 1)).join(' / '),
      ),
      row('Candidates per query: mean / p99 / max', (t) =>
        [
          fixed(t.candidates.reduce((a, b) => a + b, 0) / t.candidates.length, 1),
          percentile(t.candidates, 99),
          Math.max(...t.candidates),
        ].join(' / '),
      ),
    );
    log(`${tier}: done`);
  }
  console.log(output.join('\n'));
} finally {
  await drop();
}
