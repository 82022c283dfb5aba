import { dateOfBirthParts } from './normalise.ts';

/**
 * How two dates of birth agree, best first:
 * - `exact`: the same date;
 * - `day_month_swapped`: same year, day and month exchanged (03/04 entered as 04/03); never when day equals month;
 * - `one_digit_off`: the two dates differ in exactly one digit of YYYYMMDD (a typing slip: 1985 for 1986, 12 for 22);
 * - `year_only`: the same year and nothing closer;
 * - `missing`: either date is absent or not a real 'YYYY-MM-DD' date (unknown is not evidence either way);
 * - `different`: anything else.
 */
export type DobLevel = 'exact' | 'day_month_swapped' | 'one_digit_off' | 'year_only' | 'missing' | 'different';

/** Compares two 'YYYY-MM-DD' dates of birth (null or '' when unknown). See `DobLevel`. */
export function compareDatesOfBirth(a: string | null | undefined, b: string | null | undefined): DobLevel {
  const left = a ? dateOfBirthParts(a) : null;
  const right = b ? dateOfBirthParts(b) : null;
  if (!left || !right || !a || !b) return 'missing';
  if (a === b) return 'exact';
  // Equal day and month cannot get here: swapping them gives the same date, already answered as exact.
  if (left.year === right.year && left.day === right.month && left.month === right.day) {
    return 'day_month_swapped';
  }
  const digitsA = a.replaceAll('-', '');
  const digitsB = b.replaceAll('-', '');
  let differing = 0;
  for (let i = 0; i < digitsA.length; i++) if (digitsA[i] !== digitsB[i]) differing++;
  if (differing === 1) return 'one_digit_off';
  if (left.year === right.year) return 'year_only';
  return 'different';
}

/**
 * How two birth years agree when at least one of them is only an estimate (an approximate age on a referral, read
 * as a year of birth): `close` within three years (the window the candidate search reads), `near` within six,
 * `different` further apart, `missing` when either year is unknown. Used only when the dates of birth themselves
 * cannot be compared. (Close was within two years until the matching benchmark at a million people: a guess three
 * years out scored as barely better than a stranger's, below people the search found for no better reason.)
 */
export type AgeLevel = 'close' | 'near' | 'missing' | 'different';

export function compareBirthYears(a: number | null | undefined, b: number | null | undefined): AgeLevel {
  if (a === null || a === undefined || b === null || b === undefined) return 'missing';
  const gap = Math.abs(a - b);
  return gap <= 3 ? 'close' : gap <= 6 ? 'near' : 'different';
}
