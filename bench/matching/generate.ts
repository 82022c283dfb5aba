import type { PersonNames } from '../../src/features/people/matching/columns.ts';
import type { ImportedPerson } from '../../src/features/people/matching/store.ts';
import {
  COMMON_SURNAMES,
  KEYBOARD_NEIGHBOURS,
  MEN,
  NICKNAMES,
  OUTCODES,
  REFUGE_OUTCODES,
  SURNAME_ENDS,
  SURNAME_MIDDLES,
  SURNAME_STARTS,
  WOMEN,
} from './names.ts';

/**
 * A deterministic synthetic population for the matching benchmark (and the blocking-recall test): households with
 * partners, children, siblings and twins; marriages that change surnames; aliases; and a stream of referrals that
 * name these people again with the slips real referrals contain, in three tiers. The same seed always gives the same
 * people and the same stream. The generator knows nothing of the matcher's rules.
 */

/** mulberry32: a small, fast, seedable PRNG; quality is ample for sampling. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** Draws items by Zipf rank: weight 1 / rank^s. */
function zipf<T>(items: readonly T[], s: number): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= items.length; rank++) cumulative.push((total += 1 / rank ** s));
  return (random) => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return items[low]!;
  };
}

/** Invented surnames in a fixed shuffled order, so their Zipf ranks do not follow the alphabet. */
function inventedSurnames(): string[] {
  const names: string[] = [];
  for (const start of SURNAME_STARTS)
    for (const middle of ['', ...SURNAME_MIDDLES]) for (const end of SURNAME_ENDS) names.push(start + middle + end);
  const random = rng(12345);
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  return names;
}

// UK-like shape: about a third of people carry one of the few hundred common surnames (Smith ≈ 1.3%), the rest a
// long tail; forenames are more concentrated.
const commonSurname = zipf(COMMON_SURNAMES, 0.6);
const rareSurname = zipf(inventedSurnames(), 0.7);
const womanName = zipf(WOMEN, 0.9);
const manName = zipf(MEN, 0.9);
const drawSurname = (random: Random) => (chance(random, 0.32) ? commonSurname(random) : rareSurname(random));
const drawForename = (random: Random, sex: 'f' | 'm') => (sex === 'f' ? womanName(random) : manName(random));

export type GeneratedPerson = ImportedPerson & {
  givenNames: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: 'f' | 'm';
  household: number;
  /** The date of birth even when the record does not hold it. */
  trueDateOfBirth: string;
  postcode: string;
};

export type Population = {
  /** The people already on record. */
  persons: GeneratedPerson[];
  /** People not on record (new victims, and relatives of people on record: siblings, twins, parents). */
  newcomers: GeneratedPerson[];
};

const CURRENT_YEAR = 2026;

function dateOf(year: number, random: Random): string {
  const month = between(random, 1, 12);
  const day = between(random, 1, month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The letters of a postcode's unit (never C, I, K, M, O or V). */
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** The inward code of a postcode unit by number: a sector digit and two unit letters ("0AA", "1AA", ...). */
function postcodeUnit(n: number): string {
  return `${n % 10}${UNIT_LETTERS[Math.floor(n / 10) % 20]}${UNIT_LETTERS[Math.floor(n / 200) % 20]}`;
}

export function generatePopulation(options: { persons: number; seed: number; newcomers?: number }): Population {
  const random = rng(options.seed);
  // A UK postcode unit holds about forty people (some fifteen addresses). Each outward code gets enough units to keep
  // that as the population grows (a million people in 120 outward codes: about 210 units each), and never fewer than
  // 45 (at 100,000 people, about 18 people to a unit).
  const units = Math.max(45, Math.ceil(options.persons / (OUTCODES.length * 40)));
  const persons: GeneratedPerson[] = [];
  const newcomers: GeneratedPerson[] = [];
  const wantedNewcomers = options.newcomers ?? Math.ceil(options.persons / 10);
  let household = 0;
  while (persons.length < options.persons || newcomers.length < wantedNewcomers) {
    household++;
    const surname = drawSurname(random);
    const postcode = `${pick(random, OUTCODES)} ${postcodeUnit(Math.floor(random() * units))}`;
    random(); // A second draw, as before the units grew with the population: the same seed gives the same people.
    const members: GeneratedPerson[] = [];
    const make = (sex: 'f' | 'm', familyName: string, dob: string, extra: Partial<GeneratedPerson> = {}) => {
      const person: GeneratedPerson = {
        givenNames: drawForename(random, sex),
        familyName,
        dateOfBirth: chance(random, 0.03) ? null : dob,
        trueDateOfBirth: dob,
        sex,
        household,
        postcode,
        ...extra,
      };
      members.push(person);
      return person;
    };
    const firstSex = chance(random, 0.5) ? 'f' : 'm';
    const adultYear = CURRENT_YEAR - between(random, 18, 75);
    make(firstSex, surname, dateOf(adultYear, random));
    if (chance(random, 0.55)) {
      const sex = chance(random, 0.9) ? (firstSex === 'f' ? 'm' : 'f') : firstSex;
      const year = Math.min(CURRENT_YEAR - 18, adultYear + between(random, -6, 6));
      const own = drawSurname(random);
      // Marriage: often one partner took the other's surname, and the record keeps the one before.
      if (sex === 'f' && chance(random, 0.6)) make(sex, surname, dateOf(year, random), { previousSurnames: [own] });
      else make(sex, own, dateOf(year, random));
    }
    const children = chance(random, 0.5) ? between(random, 1, 3) : 0;
    for (let i = 0; i < children; i++) {
      // Born 18 to 40 years after the parent; a parent too young for that has no child yet. (Until the matching
      // benchmark's round of migration 0018 the year was cut to this year instead: 8% of a million people were born
      // in it, some 220 to a date, where a UK population has about 1.1% born in any one year.)
      const year = adultYear + between(random, 18, 40);
      if (year > CURRENT_YEAR) continue;
      const child = make(chance(random, 0.5) ? 'f' : 'm', surname, dateOf(year, random));
      // Twins: the same date of birth and surname, different forenames.
      if (chance(random, 0.04)) {
        let sibling = drawForename(random, child.sex);
        while (sibling === child.givenNames) sibling = drawForename(random, child.sex);
        make(chance(random, 0.5) ? 'f' : 'm', surname, child.trueDateOfBirth, { givenNames: sibling });
      }
    }
    for (const member of members) {
      if (chance(random, 0.05)) {
        member.aliases = [
          `${chance(random, 0.5) ? drawForename(random, member.sex) : member.givenNames} ${drawSurname(random)}`,
        ];
      }
    }
    // Most households are on record; some members are not yet (relatives who may be referred later), and some whole
    // households are new.
    const isNew = newcomers.length < wantedNewcomers && chance(random, 0.08);
    for (const member of members) {
      if (isNew || (chance(random, 0.05) && newcomers.length < wantedNewcomers)) newcomers.push(member);
      else if (persons.length < options.persons) persons.push(member);
    }
  }
  return { persons, newcomers };
}

export type Tier = 'clean' | 'moderate' | 'hard';

/** A referral naming a person: `truth` is their index in `Population.persons`, null when they are not on record. */
export type Referral = { person: PersonNames; truth: number | null; newcomer?: GeneratedPerson };

function typo(word: string, random: Random): string {
  if (word.length < 2) return word + pick(random, [...'aeiou']);
  const i = between(random, 0, word.length - 1);
  const letter = word[i]!.toLowerCase();
  const near = KEYBOARD_NEIGHBOURS[letter] ?? 'e';
  const keepCase = (c: string) => (word[i] === word[i]!.toUpperCase() ? c.toUpperCase() : c);
  switch (between(random, 0, 3)) {
    case 0: // a neighbouring key
      return word.slice(0, i) + keepCase(pick(random, [...near])) + word.slice(i + 1);
    case 1: // a dropped letter
      return word.slice(0, i) + word.slice(i + 1);
    case 2: // an extra key
      return word.slice(0, i + 1) + pick(random, [...near]) + word.slice(i + 1);
    default: // two letters transposed
      if (i === word.length - 1) return word.slice(0, i - 1) + word[i] + word[i - 1];
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

function dateTypo(date: string, random: Random): string {
  const [year, month, day] = date.split('-');
  // Day and month exchanged, when both could be months.
  if (chance(random, 0.4) && Number(day) <= 12 && day !== month) return `${year}-${day}-${month}`;
  for (;;) {
    const digits = [...date.replaceAll('-', '')];
    const i = pick(random, [2, 3, 5, 7]);
    digits[i] = String(between(random, 0, 9));
    const text = `${digits.slice(0, 4).join('')}-${digits.slice(4, 6).join('')}-${digits.slice(6).join('')}`;
    const parsed = new Date(`${text}T00:00:00Z`);
    if (text !== date && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text)) return text;
  }
}

function nickname(forename: string, random: Random): string | null {
  const options = NICKNAMES[forename];
  return options ? pick(random, options) : null;
}

/**
 * How a referral names a person on record, corrupted as the tier says. When the date of birth is left out, the
 * referral gives an approximate age in its place (as the service's referral form asks), drawn from `ageRandom`
 * (within three years of the truth), unless `ageRandom` is null.
 */
export function corruptPerson(
  source: GeneratedPerson,
  tier: Tier,
  random: Random,
  ageRandom: Random | null = null,
): PersonNames {
  let givenNames = source.givenNames;
  let familyName = source.familyName;
  let dateOfBirth: string | null = source.trueDateOfBirth;
  let postcode: string = source.postcode;
  let previousSurnames: string[] = [];
  if (tier === 'moderate') {
    const operations = ['forename_typo', 'surname_typo', 'nickname', 'swap', 'date_typo'];
    const count = between(random, 1, 2);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(random, operations));
    for (const operation of chosen) {
      if (operation === 'forename_typo') givenNames = typo(givenNames, random);
      if (operation === 'surname_typo') {
        familyName = typo(familyName, random);
        if (chance(random, 0.5)) familyName = typo(familyName, random);
      }
      if (operation === 'nickname') givenNames = nickname(givenNames, random) ?? typo(givenNames, random);
      if (operation === 'swap') [givenNames, familyName] = [familyName, givenNames];
      if (operation === 'date_typo') dateOfBirth = dateTypo(source.trueDateOfBirth, random);
    }
  } else if (tier === 'hard') {
    // At least three modifications per referral (FEBRL counts modifications per record, not per field), at least
    // two of them slips in the names: a date of birth missing in 30%, a new surname in 30% (marriage, separation, a
    // name taken to hide; the referral gives the old one half the time), a move in 50%, a nickname in 25%.
    let modifications = 0;
    if (chance(random, 0.3)) {
      dateOfBirth = null;
      modifications++;
    }
    if (chance(random, 0.3)) {
      const old = familyName;
      familyName = drawSurname(random);
      if (chance(random, 0.5)) previousSurnames = [old];
      modifications++;
    }
    if (chance(random, 0.5)) {
      postcode = chance(random, 0.5) ? pick(random, REFUGE_OUTCODES) : pick(random, OUTCODES);
      modifications++;
    }
    if (chance(random, 0.25)) {
      const short = nickname(givenNames, random);
      if (short) {
        givenNames = short;
        modifications++;
      }
    }
    if (dateOfBirth !== null && chance(random, 0.3)) {
      dateOfBirth = dateTypo(source.trueDateOfBirth, random);
      modifications++;
    }
    // Slips in the names, no more than two in either, until there are at least three modifications in all.
    let onForename = 0;
    let onSurname = 0;
    while (onForename + onSurname < 2 || (modifications < 3 && onForename + onSurname < 4)) {
      if ((chance(random, 0.5) && onForename < 2) || onSurname >= 2) {
        givenNames = typo(givenNames, random);
        onForename++;
      } else {
        familyName = typo(familyName, random);
        onSurname++;
      }
      modifications++;
    }
  }
  const birthYearEstimate =
    dateOfBirth === null && ageRandom !== null
      ? Number(source.trueDateOfBirth.slice(0, 4)) + between(ageRandom, -3, 3)
      : null;
  return { givenNames, familyName, dateOfBirth, birthYearEstimate, postcode, previousSurnames, aliases: [] };
}

/** Only repeats: `queries` referrals naming people on record, corrupted as the tier says. */
export function corrupt(population: Population, options: { tier: Tier; queries: number; seed: number }): Referral[] {
  const random = rng(options.seed);
  return Array.from({ length: options.queries }, () => {
    const truth = Math.floor(random() * population.persons.length);
    return { person: corruptPerson(population.persons[truth]!, options.tier, random), truth };
  });
}

/**
 * A referral stream in time order: mostly repeats of people on record (corrupted as the tier says), and a share of
 * people not on record (a third of them relatives of people who are), named as entered. The benchmark adds each new
 * person to the records after matching them, as a real referral would.
 */
export function referralStream(
  population: Population,
  options: { tier: Tier; referrals: number; seed: number; newShare?: number; ages?: boolean },
): Referral[] {
  const random = rng(options.seed);
  // A stream of its own, so that giving ages or not leaves every other choice of the stream as it was.
  const ageRandom = options.ages === false ? null : rng(options.seed ^ 0x5bd1e995);
  const newShare = options.newShare ?? 0.2;
  const stream: Referral[] = [];
  let nextNewcomer = 0;
  for (let i = 0; i < options.referrals; i++) {
    if (chance(random, newShare) && nextNewcomer < population.newcomers.length) {
      const newcomer = population.newcomers[nextNewcomer++]!;
      stream.push({ person: { ...newcomer, dateOfBirth: newcomer.trueDateOfBirth }, truth: null, newcomer });
    } else {
      const truth = Math.floor(random() * population.persons.length);
      stream.push({ person: corruptPerson(population.persons[truth]!, options.tier, random, ageRandom), truth });
    }
  }
  return stream;
}
