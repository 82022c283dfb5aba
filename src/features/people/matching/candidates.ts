import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../../platform/db/schema.ts';
import { matchingColumns, surnameCodes, type PersonNames } from './columns.ts';
import { dateOfBirthParts, normaliseName } from './normalise.ts';
import { doubleMetaphoneKeys } from './phonetic.ts';

/**
 * The candidate search: one SQL statement (marac_person_candidates, migrations 0014 and 0015) that unions the indexed
 * blocking arms and one bounded trigram arm. This module only computes the query's keys, exactly as columns.ts
 * computes the stored ones, and reads the rows back.
 */

/** The arms of the search, as they tag candidates. */
export const ARMS = [
  'surname_dob',
  'forename_dob',
  'dob',
  'dob_near',
  'surname_dob_part',
  'forename_dob_part',
  'surname_phonetic_year',
  'surname_phonetic_initial',
  'forename_phonetic_year',
  'name_pair',
  'forename_phonetic_outcode',
  'surname',
  'surname_slip',
  'postcode',
  'forename_age',
  'surname_slip_age',
  'undated_surname_slip',
  'trigram',
] as const;
export type Arm = (typeof ARMS)[number];

export type CandidateOptions = {
  /** Most rows any one indexed arm may add (default 100). */
  armLimit?: number;
  /** Most rows the trigram arm may add (default 20). */
  trigramLimit?: number;
  /** Most candidates in all (default 200); those found by more arms are kept first. */
  cap?: number;
  /** People on this case are never candidates (the referral being matched names them). */
  excludeCaseId?: string | null;
  /**
   * `checked` (the service, as marac_app): only a referrer, coordinator or IDVA of the area may search, else the
   * database refuses. `operator` (the command line, as the database owner): no actor to check.
   */
  as?: 'checked' | 'operator';
};

export const DEFAULT_CANDIDATE_OPTIONS = { armLimit: 100, trigramLimit: 20, cap: 200 } as const;

export type Candidate = {
  personId: string;
  identityId: string;
  externalId: string | null;
  givenNames: string;
  familyName: string;
  aliases: string[];
  previousSurnames: string[];
  dateOfBirth: string | null;
  outcode: string | null;
  postcodeKey: string | null;
  arms: Arm[];
};

type Row = {
  id: string;
  identity_id: string;
  external_id: string | null;
  given_names: string;
  family_name: string;
  aliases: string[];
  previous_surnames: string[];
  date_of_birth: string | Date | null;
  postcode_outcode: string | null;
  postcode_key: string | null;
  arms: Arm[];
};

const tagged = (codes: readonly string[], tag: string | number | null): string[] =>
  tag === null ? [] : codes.map((code) => `${code}|${tag}`);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Tags of two of a date's three parts, as marac_dob_part_keys (migration 0013) writes them: mMMDD, yYYYYMM, dYYYYDD. */
export function dobPartTags(year: number, month: number, day: number): string[] {
  return [`m${pad(month)}${pad(day)}`, `y${year}${pad(month)}`, `d${year}${pad(day)}`];
}

const THIS_YEAR = new Date().getUTCFullYear();

/**
 * Real dates of birth one digit away from `dob` ('YYYY-MM-DD'): every other digit in every place of YYYYMMDD that
 * still gives a real date in 1900 to next year. About forty dates.
 */
export function datesOneDigitAway(dob: string): string[] {
  const digits = dob.replaceAll('-', '');
  const dates: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === digits[i]) continue;
      const next = digits.slice(0, i) + d + digits.slice(i + 1);
      const text = `${next.slice(0, 4)}-${next.slice(4, 6)}-${next.slice(6)}`;
      const parts = dateOfBirthParts(text);
      if (parts !== null && parts.year >= 1900 && parts.year <= THIS_YEAR + 1) dates.push(text);
    }
  }
  return dates;
}

/** A name and every string one letter shorter, for names of four letters or more (marac_deletion_keys, 0013). */
export function deletionKeys(name: string): string[] {
  if (name.length < 4) return [name];
  return [name, ...Array.from(name, (_, i) => name.slice(0, i) + name.slice(i + 1))];
}

const partKeys = (codes: readonly string[], parts: string[] | null): string[] =>
  parts === null ? [] : codes.flatMap((code) => parts.map((part) => `${code}|${part}`));

/** The keys the search is asked with; exported for tests. */
export function queryKeys(person: PersonNames) {
  const columns = matchingColumns(person);
  const dob =
    columns.dob_year === null ? null : `${columns.dob_year}-${pad(columns.dob_month!)}-${pad(columns.dob_day!)}`;
  // Day and month exchanged, when that is still a date (03/04 ↔ 04/03; never 13 as a month).
  const swapped =
    dob !== null && columns.dob_day! <= 12 && columns.dob_day !== columns.dob_month
      ? `${columns.dob_year}-${pad(columns.dob_day!)}-${pad(columns.dob_month!)}`
      : null;
  // The current surname first, then any the person went by before (a referral may say "née").
  const surnames = [columns.family_name_normalised, ...columns.other_surnames_normalised].filter((s) => s !== '');
  const codes = [
    ...new Set([
      ...columns.family_name_dm,
      ...columns.family_name_metaphone,
      ...columns.other_surnames_normalised.flatMap(surnameCodes),
    ]),
  ];
  const parts = dob === null ? null : dobPartTags(columns.dob_year!, columns.dob_month!, columns.dob_day!);
  // Without a date of birth, the year an approximate age gives (three years either side are searched).
  const birthYear = dob === null ? (person.birthYearEstimate ?? null) : null;
  // The forenames' initial (the surname's when there are none) and the surname's, in that order: the dob arm
  // accepts either, the trigram arm needs both.
  const initials = [columns.full_name_normalised[0] ?? '', columns.family_name_normalised[0] ?? ''];
  return {
    surnames,
    full: columns.full_name_normalised,
    given: normaliseName(person.givenNames),
    canonical: columns.forename_canonical,
    dob,
    swapped,
    near: dob === null ? [] : datesOneDigitAway(dob),
    initials,
    yearKeys: tagged(codes, columns.dob_year),
    initialKeys: tagged(codes, columns.full_name_normalised[0] ?? null),
    forenameYearKeys: tagged(
      columns.given_names_metaphone,
      columns.dob_year === null ? null : `${columns.dob_year}${columns.family_name_normalised[0] ?? ''}`,
    ),
    pairKeys: columns.forename_canonical.flatMap((forename) => surnames.map((surname) => `${forename}|${surname}`)),
    outcodeKeys: tagged(columns.given_names_metaphone, columns.postcode_outcode),
    surnamePartKeys: partKeys(codes, parts),
    forenamePartKeys: partKeys([...columns.given_names_metaphone, ...columns.forename_canonical], parts),
    surnameDeletions: tagged([...new Set(surnames.flatMap(deletionKeys))], columns.full_name_normalised[0] ?? null),
    postcodeKey: columns.postcode_key,
    birthYear,
    // A nickname's codes and its full names' ("Danny" → TN, and TNL for Daniel): records mostly hold the full name.
    forenameCodes: [
      ...new Set([...columns.given_names_metaphone, ...columns.forename_canonical.flatMap(doubleMetaphoneKeys)]),
    ],
    surnameYearKeys:
      birthYear === null
        ? []
        : [...new Set(surnames.flatMap(deletionKeys))].flatMap((key) =>
            Array.from({ length: 7 }, (_, i) => `${key}|${birthYear - 3 + i}`),
          ),
  };
}

const textArray = (values: readonly string[]) => sql`${[...values]}::text[]`;

function dateString(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/**
 * Finds candidates for a person in one area. With `as: 'checked'` (the default) it must run inside `withTransaction`
 * as marac_app with an actor, and the database refuses (42501) a caller who is not a referrer, coordinator or IDVA of
 * the area; it never looks outside the area.
 */
export async function findCandidates(
  db: Kysely<Schema>,
  areaId: string,
  person: PersonNames,
  options: CandidateOptions = {},
): Promise<Candidate[]> {
  const keys = queryKeys(person);
  const armLimit = options.armLimit ?? DEFAULT_CANDIDATE_OPTIONS.armLimit;
  const trigramLimit = options.trigramLimit ?? DEFAULT_CANDIDATE_OPTIONS.trigramLimit;
  const cap = options.cap ?? DEFAULT_CANDIDATE_OPTIONS.cap;
  const fn = options.as === 'operator' ? sql`marac_person_candidates_unchecked` : sql`marac_person_candidates`;
  const { rows } = await sql<Row>`
    select * from ${fn}(${areaId}::uuid, ${textArray(keys.surnames)}, ${keys.full}, ${keys.given},
                        ${textArray(keys.canonical)}, ${keys.dob}::date, ${keys.swapped}::date,
                        ${[...keys.near]}::date[], ${textArray(keys.initials)},
                        ${textArray(keys.yearKeys)}, ${textArray(keys.initialKeys)},
                        ${textArray(keys.forenameYearKeys)}, ${textArray(keys.pairKeys)}, ${textArray(keys.outcodeKeys)},
                        ${textArray(keys.surnamePartKeys)}, ${textArray(keys.forenamePartKeys)},
                        ${options.excludeCaseId ?? null}::uuid, ${armLimit}::int, ${trigramLimit}::int, ${cap}::int,
                        ${textArray(keys.surnameDeletions)}, ${keys.postcodeKey}::text,
                        ${keys.birthYear}::int, ${textArray(keys.forenameCodes)},
                        ${textArray(keys.surnameYearKeys)})`.execute(db);
  return rows.map((row) => ({
    personId: row.id,
    identityId: row.identity_id,
    externalId: row.external_id,
    givenNames: row.given_names,
    familyName: row.family_name,
    aliases: row.aliases,
    previousSurnames: row.previous_surnames,
    dateOfBirth: dateString(row.date_of_birth),
    outcode: row.postcode_outcode,
    postcodeKey: row.postcode_key,
    arms: row.arms,
  }));
}
