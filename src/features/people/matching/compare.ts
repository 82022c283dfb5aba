import { jaroWinkler, osaWithin } from './distance.ts';
import { compareBirthYears, compareDatesOfBirth, type AgeLevel, type DobLevel } from './dob.ts';
import { areNicknames, linkedForenames } from './nicknames.ts';
import { nameParts, outcodeOf, postcodeOutcode } from './normalise.ts';
import { doubleMetaphoneKeys } from './phonetic.ts';

/**
 * Comparison vectors for Fellegi-Sunter scoring: how each field of a query person agrees with a candidate's, as a
 * discrete level. Pure: no weights here (see `weights.ts`) and no database.
 */

/** A person as the matcher sees them. Dates are 'YYYY-MM-DD'; null when unknown. */
export type PersonRecord = {
  forenames: string;
  surname: string;
  previousSurnames?: string[];
  aliases?: { forenames: string; surname: string }[];
  dateOfBirth: string | null;
  /**
   * The year of birth an approximate age gives (the referral's year less the age), when there is no date of birth;
   * compared only when the dates of birth cannot be.
   */
  birthYearEstimate?: number | null;
  postcode: string | null;
  /** The keyed hash of the full postcode (postcode-key.ts): stored people carry it instead of the postcode. */
  postcodeKey?: string | null;
  addressLine?: string | null;
};

/** Forename agreement, best first (the order of the weights; see `compareForenames` for the order of the checks). */
export const FORENAME_LEVELS = [
  'exact',
  'nickname',
  'jw_high',
  'jw_mid',
  'edit1',
  'phonetic',
  'edit2',
  'initial',
  'missing',
  'different',
] as const;
export type ForenameLevel = (typeof FORENAME_LEVELS)[number];

/** Surname agreement, best first. `previous_surname` and `alias` come from the records' other names. */
export const SURNAME_LEVELS = [
  'exact',
  'previous_surname',
  'alias',
  'jw_high',
  'jw_mid',
  'edit1',
  'phonetic',
  'edit2',
  'missing',
  'different',
] as const;
export type SurnameLevel = (typeof SURNAME_LEVELS)[number];

/** Date-of-birth agreement, best first (the levels of `dob.ts`). */
export const DOB_LEVELS = [
  'exact',
  'day_month_swapped',
  'one_digit_off',
  'year_only',
  'missing',
  'different',
] as const satisfies readonly DobLevel[];

/** Agreement of an estimated year of birth, best first. */
export const AGE_LEVELS = ['close', 'near', 'missing', 'different'] as const satisfies readonly AgeLevel[];

/** Address agreement, best first. */
export const ADDRESS_LEVELS = ['exact', 'outcode', 'missing', 'different'] as const;
export type AddressLevel = (typeof ADDRESS_LEVELS)[number];

/** Jaro-Winkler bands for names (on normalised names). */
export const JW_HIGH = 0.94;
export const JW_MID = 0.88;

/**
 * Which of the candidate's names the levels were read against:
 * - `recorded`: both records' current forenames and surnames;
 * - `swapped`: the query's forenames against the candidate's surname and the other way round;
 * - `previous_surname`: a previous surname of either record equals the other's surname (or previous surname);
 * - `alias`: an alias of either record was compared with the other's name.
 */
export type NameSource = 'recorded' | 'swapped' | 'previous_surname' | 'alias';

/** The names compared, as given (for showing a coordinator), and how they agree. */
export type NameComparison = {
  source: NameSource;
  forename: ForenameLevel;
  surname: SurnameLevel;
  queryForenames: string;
  querySurname: string;
  candidateForenames: string;
  candidateSurname: string;
};

export type ComparisonVector = {
  name: NameComparison;
  dob: DobLevel;
  /** `missing` unless the dates of birth are and a year of birth is estimated on at least one side. */
  age: AgeLevel;
  address: AddressLevel;
};

/** A name as compared: accents folded, lower case, punctuation read as spaces, leading titles removed. */
const cleanCache = new Map<string, string>();
function cleanName(name: string): string {
  let cleaned = cleanCache.get(name);
  if (cleaned === undefined) {
    if (cleanCache.size >= 10_000) cleanCache.clear();
    cleaned = nameParts(name).join(' ');
    cleanCache.set(name, cleaned);
  }
  return cleaned;
}

function firstPart(cleaned: string): string {
  return cleaned.split(' ')[0] ?? '';
}

// Scoring one query against a couple of hundred candidates asks for the same few names' codes again and again.
const metaphoneCache = new Map<string, string[]>();
function metaphoneKeys(name: string): string[] {
  let keys = metaphoneCache.get(name);
  if (keys === undefined) {
    if (metaphoneCache.size >= 10_000) metaphoneCache.clear();
    keys = doubleMetaphoneKeys(name);
    metaphoneCache.set(name, keys);
  }
  return keys;
}

function phoneticallyEqual(a: string, b: string): boolean {
  const left = metaphoneKeys(a);
  if (left.length === 0) return false;
  const right = metaphoneKeys(b);
  return left.some((code) => right.includes(code));
}

type SimilarityLevel = 'jw_high' | 'jw_mid' | 'edit1' | 'phonetic' | 'edit2' | null;

// Scoring one query against a couple of hundred candidates compares the same few names again and again (a common
// forename is on dozens of them), so the levels are cached by pair: half the time of scoring went on them.
const similarityCache = new Map<string, SimilarityLevel>();

/** The string levels shared by forenames and surnames, or null when none holds. */
function similarityLevel(a: string, b: string): SimilarityLevel {
  const key = `${a}\u0000${b}`;
  let level = similarityCache.get(key);
  if (level === undefined) {
    if (similarityCache.size >= 50_000) similarityCache.clear();
    level = uncachedSimilarityLevel(a, b);
    similarityCache.set(key, level);
  }
  return level;
}

function uncachedSimilarityLevel(a: string, b: string): SimilarityLevel {
  const similarity = jaroWinkler(a, b);
  if (similarity >= JW_HIGH) return 'jw_high';
  if (similarity >= JW_MID) return 'jw_mid';
  // One slip in a short name is weak evidence: a letter dropped from a three-letter name ("Aa" for Ava) still
  // counts; between two two-letter names it is barely any.
  if (Math.min(a.length, b.length) >= 2 && Math.max(a.length, b.length) >= 3 && osaWithin(a, b, 1)) return 'edit1';
  if (phoneticallyEqual(a, b)) return 'phonetic';
  // Two slips ("Olvidr" for "Oliver") in names of four letters or more: weak, but not a different name.
  if (Math.min(a.length, b.length) >= 4 && osaWithin(a, b, 2)) return 'edit2';
  return null;
}

// The pairs met when scoring one query against a couple of hundred candidates repeat, as for `similarityLevel`.
const nicknameSlipCache = new Map<string, boolean>();

/** The same letters in another order ("bne" and "ben"). */
const sameLetters = (a: string, b: string) => [...a].sort().join('') === [...b].sort().join('');

/**
 * True when one name is a name the nickname table links to the other with one slip: a letter added ("Beckyt" and
 * "Rebecca" through Becky, "Moi" and "Muhammad" through Mo); between names of five letters or more, any one slip
 * ("Jonmy" and "Jonathan" through Jonny); in a shorter name, a letter dropped or two letters swapped after its first
 * ("Jss" and "Jessica" through Jess, "Bne" and "Benjamin" through Ben). Shorter names one substitution apart are too
 * often two names ("Sam" is a slip from Tam, a Thomas; "Mi" from Mo, a Muhammad), as are names that differ in their
 * first letter.
 */
function isNicknameWithSlip(a: string, b: string): boolean {
  const key = `${a}\u0000${b}`;
  let slipped = nicknameSlipCache.get(key);
  if (slipped === undefined) {
    const droppedOrSwapped = (name: string, linked: string) =>
      name.length >= 2 &&
      name[0] === linked[0] &&
      (name.length === linked.length - 1 || (name.length === linked.length && sameLetters(name, linked)));
    const oneSlipFrom = (name: string, other: string) =>
      linkedForenames(other).some(
        (linked) =>
          linked !== other &&
          linked.length >= 2 &&
          (name.length === linked.length + 1 ||
            Math.min(name.length, linked.length) >= 5 ||
            droppedOrSwapped(name, linked)) &&
          osaWithin(name, linked, 1),
      );
    slipped = oneSlipFrom(a, b) || oneSlipFrom(b, a);
    if (nicknameSlipCache.size >= 50_000) nicknameSlipCache.clear();
    nicknameSlipCache.set(key, slipped);
  }
  return slipped;
}

/**
 * Compares two forenames. Checks, in order (the first that holds wins):
 * 1. `missing`: either is empty once titles and punctuation are removed;
 * 2. `exact`: equal when normalised, or their first words are equal ("Mary Jane" and "Mary");
 * 3. `nickname`: the nickname table links them ("Jon" and "Jonathan");
 * 4. `initial` or `different` when either first word is a single letter: `initial` if the other starts with it
 *    ("J" and "James"), since letter-level similarity between an initial and a name means nothing more;
 * 5. `jw_high` / `jw_mid`: Jaro-Winkler ≥ 0.94 / ≥ 0.88;
 * 6. `edit1`: one insertion, deletion, substitution or transposition apart (one name at least three letters, the
 *    other at least two: "Aa" and "Ava"), or a name the nickname table links to the other with a letter added
 *    ("Beckyt" and "Rebecca", "Moi" and "Muhammad"), or, five letters or more, one slip ("Jonmy" and "Jonathan"), or,
 *    shorter, a letter dropped or two swapped after the first ("Jss" and "Jessica", "Bne" and "Benjamin");
 * 7. `phonetic`: they share a Double Metaphone code;
 * 8. `edit2`: two edits apart (both at least four letters);
 * 9. `different`.
 * Steps 5 to 8 look at the whole names and at their first words, and keep the better level.
 */
export function compareForenames(a: string, b: string): ForenameLevel {
  const left = cleanName(a);
  const right = cleanName(b);
  if (left === '' || right === '') return 'missing';
  const leftFirst = firstPart(left);
  const rightFirst = firstPart(right);
  if (left === right || leftFirst === rightFirst) return 'exact';
  if (areNicknames(left, right)) return 'nickname';
  if (leftFirst.length === 1 || rightFirst.length === 1) {
    return leftFirst[0] === rightFirst[0] ? 'initial' : 'different';
  }
  return (
    bestOf(
      FORENAME_LEVELS,
      similarityLevel(left, right),
      similarityLevel(leftFirst, rightFirst),
      isNicknameWithSlip(leftFirst, rightFirst) ? 'edit1' : null,
    ) ?? 'different'
  );
}

/**
 * Compares two surnames. Checks, in order: `missing` (either empty), `exact` (equal when normalised), then the
 * similarity levels on the whole normalised surnames as for forenames (`jw_high`, `jw_mid`, `edit1`, `phonetic`,
 * `edit2`),
 * then `different`. `previous_surname` and `alias` are never answered here: `compareNames` sets them.
 */
export function compareSurnames(a: string, b: string): SurnameLevel {
  const left = cleanName(a);
  const right = cleanName(b);
  if (left === '' || right === '') return 'missing';
  if (left === right) return 'exact';
  return similarityLevel(left, right) ?? 'different';
}

/** The better (earlier in `order`) of some levels, ignoring nulls; null when all are null. */
function bestOf<L extends string>(order: readonly L[], ...levels: (L | null)[]): L | null {
  let best: L | null = null;
  for (const level of levels) {
    if (level !== null && (best === null || order.indexOf(level) < order.indexOf(best))) best = level;
  }
  return best;
}

type NameForm = { source: 'recorded' | 'previous_surname' | 'alias'; forenames: string; surname: string };

/** A record's names: the recorded one, the recorded forenames with each previous surname, then each alias. */
function nameForms(person: PersonRecord): NameForm[] {
  return [
    { source: 'recorded', forenames: person.forenames, surname: person.surname },
    ...(person.previousSurnames ?? []).map((surname): NameForm => ({
      source: 'previous_surname',
      forenames: person.forenames,
      surname,
    })),
    ...(person.aliases ?? []).map((alias): NameForm => ({
      source: 'alias',
      forenames: alias.forenames,
      surname: alias.surname,
    })),
  ];
}

/** How good a reading of two records' names is: higher is better. */
export type NamePreference = (comparison: NameComparison) => number;

/**
 * The default preference when no weights are at hand: the better the two levels' positions in `FORENAME_LEVELS` and
 * `SURNAME_LEVELS`, the better. Scoring passes the readings' match weights instead (see `score.ts`).
 */
export const preferByLevelOrder: NamePreference = (comparison) =>
  -(FORENAME_LEVELS.indexOf(comparison.forename) + SURNAME_LEVELS.indexOf(comparison.surname));

/** Levels close enough for a swapped reading: both sides must reach one (a surname cannot be a `nickname`). */
const AGREEING_FOR_SWAP: ReadonlySet<string> = new Set(['exact', 'nickname', 'jw_high']);

/**
 * Compares the names of two records, trying each way they might be the same person, and keeps the one `prefer` rates
 * highest (on a tie the earlier in this list):
 * 1. `recorded`: current forenames and surnames, as `compareForenames` and `compareSurnames` answer;
 * 2. `swapped`: the query's forenames against the candidate's surname and its surname against the candidate's
 *    forenames ("Smith John" for "John Smith"); kept only when the forename side is `exact`, `nickname` or `jw_high`
 *    and the surname side `exact` or `jw_high`, so two loosely similar names are not read as swapped;
 * 3. every other pairing of the two records' names (previous surnames, aliases): kept only when the surnames are
 *    exactly equal once normalised, and then the surname level is `previous_surname` (a previous surname was involved)
 *    or `alias` (an alias was), and the forenames are compared as usual.
 */
export function compareNames(
  query: PersonRecord,
  candidate: PersonRecord,
  prefer: NamePreference = preferByLevelOrder,
): NameComparison {
  const options: NameComparison[] = [
    {
      source: 'recorded',
      forename: compareForenames(query.forenames, candidate.forenames),
      surname: compareSurnames(query.surname, candidate.surname),
      queryForenames: query.forenames,
      querySurname: query.surname,
      candidateForenames: candidate.forenames,
      candidateSurname: candidate.surname,
    },
  ];
  const swappedForename = compareForenames(query.forenames, candidate.surname);
  const swappedSurname = compareSurnames(query.surname, candidate.forenames);
  if (AGREEING_FOR_SWAP.has(swappedForename) && AGREEING_FOR_SWAP.has(swappedSurname)) {
    options.push({
      source: 'swapped',
      forename: swappedForename,
      surname: swappedSurname,
      queryForenames: query.forenames,
      querySurname: query.surname,
      candidateForenames: candidate.surname,
      candidateSurname: candidate.forenames,
    });
  }
  for (const queryForm of nameForms(query)) {
    for (const candidateForm of nameForms(candidate)) {
      if (queryForm.source === 'recorded' && candidateForm.source === 'recorded') continue;
      const surnameQuery = cleanName(queryForm.surname);
      if (surnameQuery === '' || surnameQuery !== cleanName(candidateForm.surname)) continue;
      const viaAlias = queryForm.source === 'alias' || candidateForm.source === 'alias';
      options.push({
        source: viaAlias ? 'alias' : 'previous_surname',
        forename: compareForenames(queryForm.forenames, candidateForm.forenames),
        surname: viaAlias ? 'alias' : 'previous_surname',
        queryForenames: queryForm.forenames,
        querySurname: queryForm.surname,
        candidateForenames: candidateForm.forenames,
        candidateSurname: candidateForm.surname,
      });
    }
  }
  let best = options[0]!;
  let bestValue = prefer(best);
  for (const option of options.slice(1)) {
    const value = prefer(option);
    if (value > bestValue) [best, bestValue] = [option, value];
  }
  return best;
}

/** A postcode without spaces, upper case; '' when absent. */
function compactPostcode(postcode: string | null | undefined): string {
  return (postcode ?? '').toUpperCase().replace(/\s+/g, '');
}

/**
 * Compares addresses. Checks, in order:
 * 1. `exact`: both postcode keys are given and equal (the same full postcode: stored people keep theirs only as a
 *    keyed hash); or the postcodes are equal (spaces and case ignored); or — when either postcode is absent or not a
 *    valid UK postcode — both address lines are given and equal once normalised like names;
 * 2. `outcode`: both postcodes are valid and share their outward code ("M1 1AE" and "M1 2AB");
 * 3. otherwise, when both give at least an outward code (a full postcode or an outward code alone): `outcode` when
 *    they share it, else `different`;
 * 4. `missing`: either postcode is absent or invalid (and the address lines did not settle it);
 * 5. `different`.
 */
export function compareAddresses(query: PersonRecord, candidate: PersonRecord): AddressLevel {
  if (query.postcodeKey && query.postcodeKey === candidate.postcodeKey) return 'exact';
  const left = compactPostcode(query.postcode);
  const right = compactPostcode(candidate.postcode);
  const leftOutcode = left === '' ? null : postcodeOutcode(left);
  const rightOutcode = right === '' ? null : postcodeOutcode(right);
  if (leftOutcode && rightOutcode) {
    if (left === right) return 'exact';
    return leftOutcode === rightOutcode ? 'outcode' : 'different';
  }
  // Stored people carry only an outward code (their address is sealed): compare at that level when both have one.
  const leftOuter = left === '' ? null : outcodeOf(left);
  const rightOuter = right === '' ? null : outcodeOf(right);
  if (leftOuter && rightOuter) return leftOuter === rightOuter ? 'outcode' : 'different';
  const leftLine = cleanName(query.addressLine ?? '');
  const rightLine = cleanName(candidate.addressLine ?? '');
  if (leftLine !== '' && leftLine === rightLine) return 'exact';
  return 'missing';
}

/** The year of birth a record gives: its date of birth's, else its estimate; null when neither. */
function birthYear(record: PersonRecord): number | null {
  const year = record.dateOfBirth ? Number(record.dateOfBirth.slice(0, 4)) : NaN;
  return Number.isInteger(year) && year > 0 ? year : (record.birthYearEstimate ?? null);
}

/** The comparison vector of a query person against a candidate: one level per field (see `compareNames`). */
export function compareRecords(
  query: PersonRecord,
  candidate: PersonRecord,
  prefer: NamePreference = preferByLevelOrder,
): ComparisonVector {
  const dob = compareDatesOfBirth(query.dateOfBirth, candidate.dateOfBirth);
  return {
    name: compareNames(query, candidate, prefer),
    dob,
    age:
      dob === 'missing' && (query.birthYearEstimate || candidate.birthYearEstimate)
        ? compareBirthYears(birthYear(query), birthYear(candidate))
        : 'missing',
    address: compareAddresses(query, candidate),
  };
}
