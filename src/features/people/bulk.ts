import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { describeEvidence } from './matching/score.ts';
import { findMatches } from './matching/match.ts';
import { dateOfBirthParts, outcodeOf } from './matching/normalise.ts';
import { insertPeople, type ImportedPerson } from './matching/store.ts';
import { surnameFrequencyFromCounts } from './matching/weights.ts';
import { postcodeKeyFor } from './postcodes.ts';

/**
 * Bulk loading and bulk matching of people from JSON Lines files, for the `marac people` commands. Both run as the
 * database owner (the operator), scoped to one area. Nothing here logs a name: progress reports counts only.
 */

export class BulkInputError extends Error {
  override name = 'BulkInputError';
}

const name = z.string().trim().min(1).max(200);

/** One line of an import or match file. */
export const personLineSchema = z.strictObject({
  externalId: z.string().trim().min(1).max(200).optional(),
  givenNames: name,
  familyName: name,
  aliases: z.array(name).max(20).default([]),
  previousSurnames: z.array(name).max(20).default([]),
  dateOfBirth: z
    .string()
    .refine((value) => dateOfBirthParts(value) !== null, 'must be a real date, YYYY-MM-DD')
    .nullable()
    .default(null),
  postcode: z
    .string()
    .refine((value) => outcodeOf(value) !== null, 'must be a UK postcode or outward code')
    .nullable()
    .default(null),
});
export type PersonLine = z.infer<typeof personLineSchema>;

/** A person read from a file, with the number of the line that named them. */
export type LinePerson = ImportedPerson & { line: number };

/**
 * Reads a JSON Lines file into people; blank lines are skipped. Throws BulkInputError naming the first bad line. A
 * full postcode gets its postcode key under the keyring's matching index key (`postcodeKey`), so the people imported
 * and the people matched carry the same keys as those written by referrals; an outward code alone gets none.
 */
export function readPeopleFile(file: string, options: { requireExternalId: boolean; keyring: Keyring }): LinePerson[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BulkInputError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  const people: LinePerson[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const number = index + 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new BulkInputError(`line ${number}: not valid JSON`);
    }
    const parsed = personLineSchema.safeParse(json);
    if (!parsed.success) {
      // Field names and rules only: the message must not echo the line's personal data.
      const issue = parsed.error.issues[0]!;
      throw new BulkInputError(`line ${number}: ${issue.path.join('.') || 'the line'}: ${issue.message}`);
    }
    const person = parsed.data;
    if (options.requireExternalId) {
      if (person.externalId === undefined) throw new BulkInputError(`line ${number}: externalId is required`);
      const first = seen.get(person.externalId);
      if (first !== undefined) throw new BulkInputError(`line ${number}: externalId repeats the one on line ${first}`);
      seen.set(person.externalId, number);
    }
    people.push({
      ...person,
      externalId: person.externalId ?? null,
      postcodeKey: postcodeKeyFor(options.keyring, person.postcode),
      line: number,
    });
  }
  return people;
}

export async function assertArea(db: Kysely<Schema>, areaId: string): Promise<void> {
  const area = await db.selectFrom('marac_area').select('id').where('id', '=', areaId).executeTakeFirst();
  if (!area) throw new BulkInputError(`there is no area ${areaId}`);
}

/** The audit event of a `marac people` command: the operator, no user; the area, or null for every area. */
export const cliAudit = (
  action: 'person.imported' | 'person.bulk_matched' | 'person.reindexed',
  areaId: string | null,
  outcome: 'success' | 'failed' = 'success',
) => ({
  actorUserId: null,
  actorAgencyId: null,
  actorRole: null,
  action,
  subjectType: 'marac_area',
  subjectId: areaId,
  caseId: null,
  purpose: 'administration' as const,
  outcome,
  requestId: `cli-${randomUUID()}`,
});

/**
 * Imports people into an area, all or nothing: one transaction, so a failure (an external id already in the area,
 * say) leaves nothing behind. Imported people belong to no case; see store.ts for who can see them.
 */
export async function importPeople(
  db: Kysely<Schema>,
  areaId: string,
  people: readonly ImportedPerson[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  await assertArea(db, areaId);
  return db.transaction().execute(async (trx) => {
    const ids = people.flatMap((p) => (p.externalId ? [p.externalId] : []));
    for (let start = 0; start < ids.length; start += 1000) {
      const clash = await trx
        .selectFrom('person')
        .select('external_id')
        .where('area_id', '=', areaId)
        .where('external_id', 'in', ids.slice(start, start + 1000))
        .executeTakeFirst();
      if (clash) throw new BulkInputError(`externalId ${clash.external_id} is already in this area; nothing imported`);
    }
    await insertPeople(trx, areaId, people, (done) => onProgress(done, people.length));
    await recordAudit(trx, cliAudit('person.imported', areaId));
    return people.length;
  });
}

/**
 * How common each surname is among the area's people, for the term-frequency adjustment, and how many people the
 * area holds (for the strong band).
 */
export async function areaNameStatistics(db: Kysely<Schema>, areaId: string) {
  const { rows } = await sql<{ surname: string; count: number }>`
    select family_name_normalised as surname, count(*)::int as count
      from person where area_id = ${areaId}::uuid group by family_name_normalised`.execute(db);
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return {
    surnameFrequency: surnameFrequencyFromCounts(new Map(rows.map((row) => [row.surname, row.count])), total),
    population: total,
  };
}

/** One output line of `marac people match`. */
export type MatchLine = {
  line: number;
  externalId: string | null;
  candidates: {
    personId: string;
    externalId: string | null;
    score: number;
    band: string;
    evidence: string[];
  }[];
};

/** Matches each person against the area's people, calling `write` with one result per input line, in order. */
export async function matchPeople(
  db: Kysely<Schema>,
  areaId: string,
  people: readonly LinePerson[],
  write: (line: MatchLine) => void,
  onProgress: (done: number, total: number) => void = () => {},
  limit = 5,
): Promise<void> {
  await assertArea(db, areaId);
  const { surnameFrequency, population } = await areaNameStatistics(db, areaId);
  await db.transaction().execute((trx) => recordAudit(trx, cliAudit('person.bulk_matched', areaId)));
  let done = 0;
  for (const person of people) {
    const matches = await findMatches(db, areaId, person, { as: 'operator', surnameFrequency, population, limit });
    done++;
    write({
      line: person.line,
      externalId: person.externalId ?? null,
      candidates: matches.map((m) => ({
        personId: m.personId,
        externalId: m.externalId,
        score: Math.round(m.score * 10) / 10,
        band: m.band,
        evidence: m.evidence.map(describeEvidence),
      })),
    });
    onProgress(done, people.length);
  }
}
