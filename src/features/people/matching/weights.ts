import type { AddressLevel, ForenameLevel, SurnameLevel } from './compare.ts';
import type { AgeLevel, DobLevel } from './dob.ts';
import { nameParts } from './normalise.ts';

/**
 * Fellegi-Sunter probabilities for each field level:
 * - m = P(level | the two records are the same person);
 * - u = P(level | they are different people who reached the same candidate list).
 * A level's match weight is log2(m / u): positive when the level is evidence for a match, negative against, 0 for
 * `missing` (an unknown field is evidence neither way).
 *
 * Where the starting values come from: they are reasoned defaults, not fitted, to be tuned by the matching
 * benchmark (labelled pairs) later. Each field's m values sum to about 1 over its non-missing levels, as do its u
 * values. The reasoning:
 * - forenames: most repeat referrals spell the forename the same way (m exact 0.80); nicknames, typos and sound-alike
 *   spellings share most of the rest; in a UK population two strangers share a forename about 1 time in 100
 *   (u exact 0.01), and JW/edit/phonetic near-misses between strangers are a little rarer again; two slips apart
 *   (edit2) is common among strangers' short names but still twice as likely for one person;
 * - surnames: change on marriage, separation or to hide, which is common among MARAC victims: one repeat referral
 *   in ten gives a surname the record does not hold (m different 0.10; 0.03 until the matching benchmark's hard tier
 *   showed new surnames scored out of the possible band), and previous-surname matches 0.05; u exact 0.005 is the average chance two strangers share a surname, replaced per
 *   name by the term-frequency adjustment below;
 * - dates of birth: the strongest identifier; with ages spread over about 60 years two strangers share a date about
 *   1 time in 20,000 (u exact 0.0001, generous); keying slips (swapped day/month, one digit) make up a few per cent
 *   of m, a swap being far rarer among strangers than a one-digit coincidence;
 * - an estimated age, when there is no date of birth to compare: a professional's guess is usually within three
 *   years (m close 0.85), and two strangers' years of birth fall that close about one time in nine over ages spread
 *   across some sixty years (u close 0.11);
 * - addresses: victims often move (to refuge, to family), so a different address is only weak evidence against
 *   (m different 0.40); strangers rarely share a full postcode (u exact 0.0005) but often an outward code.
 *
 * Within a field the weights fall in the order of the levels (best first), so a better level never scores less;
 * the tests check it.
 */
export type LevelProbabilities = { m: number; u: number };

export type MatchProbabilities = {
  forename: Readonly<Record<Exclude<ForenameLevel, 'missing'>, LevelProbabilities>>;
  surname: Readonly<Record<Exclude<SurnameLevel, 'missing'>, LevelProbabilities>>;
  dob: Readonly<Record<Exclude<DobLevel, 'missing'>, LevelProbabilities>>;
  age: Readonly<Record<Exclude<AgeLevel, 'missing'>, LevelProbabilities>>;
  address: Readonly<Record<Exclude<AddressLevel, 'missing'>, LevelProbabilities>>;
};

export const DEFAULT_PROBABILITIES: MatchProbabilities = {
  forename: {
    exact: { m: 0.8, u: 0.01 },
    nickname: { m: 0.06, u: 0.002 },
    jw_high: { m: 0.04, u: 0.002 },
    jw_mid: { m: 0.025, u: 0.004 },
    edit1: { m: 0.015, u: 0.003 },
    phonetic: { m: 0.01, u: 0.004 },
    edit2: { m: 0.025, u: 0.012 },
    initial: { m: 0.01, u: 0.008 },
    different: { m: 0.02, u: 0.955 },
  },
  surname: {
    exact: { m: 0.73, u: 0.005 },
    previous_surname: { m: 0.05, u: 0.002 },
    alias: { m: 0.02, u: 0.001 },
    jw_high: { m: 0.04, u: 0.003 },
    jw_mid: { m: 0.02, u: 0.005 },
    edit1: { m: 0.01, u: 0.004 },
    phonetic: { m: 0.01, u: 0.006 },
    edit2: { m: 0.02, u: 0.015 },
    different: { m: 0.1, u: 0.959 },
  },
  dob: {
    exact: { m: 0.91, u: 0.0001 },
    day_month_swapped: { m: 0.015, u: 0.0001 },
    one_digit_off: { m: 0.03, u: 0.001 },
    year_only: { m: 0.02, u: 0.016 },
    different: { m: 0.025, u: 0.9828 },
  },
  age: {
    close: { m: 0.85, u: 0.11 },
    near: { m: 0.12, u: 0.1 },
    different: { m: 0.03, u: 0.79 },
  },
  address: {
    exact: { m: 0.45, u: 0.0005 },
    outcode: { m: 0.15, u: 0.03 },
    different: { m: 0.4, u: 0.9695 },
  },
};

/**
 * Weight added when the names only agree read the other way round (forenames as surname). A swap is a recording
 * slip, but a pair of names that only agree crossed over is less likely one person than a pair that agrees as
 * recorded: log2(1/4).
 */
export const NAME_SWAP_WEIGHT = -2;

/** log2(m / u): the match weight of a level. */
export function matchWeight({ m, u }: LevelProbabilities): number {
  if (!(m > 0 && u > 0)) throw new RangeError('m and u must be greater than 0');
  return Math.log2(m / u);
}

/** Every level's weight for one field; `missing` is always 0. */
function fieldWeights<L extends string>(
  probabilities: Readonly<Record<L, LevelProbabilities>>,
): Readonly<Record<L | 'missing', number>> {
  const weights = { missing: 0 } as Record<L | 'missing', number>;
  for (const level of Object.keys(probabilities) as L[]) weights[level] = matchWeight(probabilities[level]);
  return weights;
}

export type MatchWeights = {
  forename: Readonly<Record<ForenameLevel, number>>;
  surname: Readonly<Record<SurnameLevel, number>>;
  dob: Readonly<Record<DobLevel, number>>;
  age: Readonly<Record<AgeLevel, number>>;
  address: Readonly<Record<AddressLevel, number>>;
};

/** The log2 match weights of a table of probabilities. */
export function matchWeights(probabilities: MatchProbabilities): MatchWeights {
  return {
    forename: fieldWeights(probabilities.forename),
    surname: fieldWeights(probabilities.surname),
    dob: fieldWeights(probabilities.dob),
    age: fieldWeights(probabilities.age),
    address: fieldWeights(probabilities.address),
  };
}

export const DEFAULT_WEIGHTS: MatchWeights = matchWeights(DEFAULT_PROBABILITIES);

/**
 * How common a surname is in the area's population, as a proportion (Smith ≈ 0.013 in England), given the surname
 * normalised as `nameParts(name).join(' ')` does; null when not known. Built from the people already recorded (see
 * `surnameFrequencyFromCounts`) or from published tables.
 */
export type SurnameFrequency = (normalisedSurname: string) => number | null;

/** The fallback lookup: knows no surname, so every exact surname agreement gets the average weight. */
export const unknownSurnameFrequency: SurnameFrequency = () => null;

/**
 * A lookup from counts of people per normalised surname in a population of `total` people. Surnames seen fewer than
 * `minimumCount` times answer null (a count of 1 or 2 says little, and the person being matched may be that one).
 */
export function surnameFrequencyFromCounts(
  counts: ReadonlyMap<string, number>,
  total: number,
  minimumCount = 5,
): SurnameFrequency {
  return (surname) => {
    const count = counts.get(surname);
    if (count === undefined || count < minimumCount || total <= 0) return null;
    return count / total;
  };
}

/**
 * The rarest a surname may be taken to be: below 1 in 2,000 the frequency estimate from a few hundred thousand
 * records is noise, and an uncapped weight would let one rare surname outweigh a conflicting date of birth.
 */
export const MIN_SURNAME_FREQUENCY = 0.0005;

/**
 * The weight of exact surname agreement adjusted for how common the surname is: log2(m / u_tf), where u_tf is the
 * surname's frequency (the chance two strangers share it), no lower than `MIN_SURNAME_FREQUENCY`. Unknown → the
 * field's average weight. The result is never below the next-best surname level's weight, so an exact Singh never
 * scores less than a misspelt one.
 */
export function exactSurnameWeight(
  surname: string,
  frequency: SurnameFrequency,
  probabilities: MatchProbabilities = DEFAULT_PROBABILITIES,
): number {
  const { exact, ...others } = probabilities.surname;
  const average = matchWeight(exact);
  const uTf = frequency(nameParts(surname).join(' '));
  if (uTf === null || !Number.isFinite(uTf) || uTf <= 0) return average;
  const adjusted = matchWeight({ m: exact.m, u: Math.max(uTf, MIN_SURNAME_FREQUENCY) });
  const floor = Math.max(...Object.values(others).map(matchWeight));
  return Math.max(adjusted, floor);
}
