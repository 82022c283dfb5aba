/**
 * Pure normalisation of names, postcodes and dates of birth into the forms the person matcher compares and blocks on.
 * Nothing here touches the database; where SQL needs the same form (an index on an unaccented name, say) it must
 * produce exactly what these functions do for Latin letters.
 */

/**
 * Latin letters that NFKD does not decompose but PostgreSQL's `unaccent` rules still fold to ASCII (Æ → AE,
 * ß → ss, Ø → O, Ł → L, Þ → TH …), or decompose to something else (Ŀ → L·). Letters NFKD decomposes to a letter
 * and marks (é, ñ, ĳ, ﬁ …) need no entry.
 */
const UNACCENT_EXTRA: Readonly<Record<string, string>> = {
  Æ: 'AE',
  æ: 'ae',
  Ð: 'D',
  ð: 'd',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ĸ: 'q',
  Ŀ: 'L',
  ŀ: 'l',
  Ł: 'L',
  ł: 'l',
  Ŋ: 'N',
  ŋ: 'n',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Ŧ: 'T',
  ŧ: 't',
  Þ: 'TH',
  þ: 'th',
  ß: 'ss',
  ẞ: 'SS',
  Ƀ: 'B',
  ƀ: 'b',
  Ɨ: 'I',
  ɨ: 'i',
};
const ASCII = /^[\u0020-\u007e]*$/;
const UNACCENT_EXTRA_PATTERN = new RegExp(`[${Object.keys(UNACCENT_EXTRA).join('')}]`, 'gu');

/**
 * Removes accents the way PostgreSQL's `unaccent` does for Latin letters: the letters NFKD cannot fold are replaced
 * by table, then compatibility decomposition (NFKD), the combining marks on Latin letters dropped, and NFC
 * again. Case is kept. Other scripts keep their marks (a Devanagari vowel sign is part of the letter, not an accent).
 * "Zoë Łukasz Ærøskøbing" → "Zoe Lukasz AEroskobing".
 */
export function foldAccents(text: string): string {
  // Printable ASCII has nothing to fold (most names; scoring folds each candidate's names).
  if (ASCII.test(text)) return text;
  return text
    .replace(UNACCENT_EXTRA_PATTERN, (letter) => UNACCENT_EXTRA[letter] ?? letter)
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC');
}

/** Apostrophes of every kind: removed inside a name, so O'Brien and OBrien agree. */
const APOSTROPHES = /['\u2018\u2019\u02BC\u02BB`\u00B4]/g;

/**
 * A name as the matcher compares it: accents folded, lower case, apostrophes removed, hyphens, dots and any other
 * non-alphanumeric characters read as spaces, runs of spaces collapsed and trimmed. Titles are kept (see
 * `stripTitles`). "  Zoë  O'Brien-Smith " → "zoe obrien smith".
 *
 * Unlike `features/referrals/names.ts` (which reads an apostrophe as a space), O'Brien becomes "obrien".
 */
export function normaliseName(name: string): string {
  return foldAccents(name)
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Titles and honorifics, normalised (no dots). Only leading ones are removed. */
export const TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'master',
  'dr',
  'doctor',
  'prof',
  'professor',
  'rev',
  'revd',
  'reverend',
  'fr',
  'father',
  'sr',
  'sister',
  'sir',
  'dame',
  'lady',
  'lord',
  'cllr',
]);

/**
 * Removes leading titles from an already normalised name ("mrs dr jane smith" → "jane smith"). A name made only of
 * title words is returned unchanged: "Miss" may be the only name a referral gives, and it is better kept than lost.
 */
export function stripTitles(normalised: string): string {
  const parts = splitNameParts(normalised);
  let first = 0;
  while (first < parts.length && TITLES.has(parts[first]!)) first++;
  return first === parts.length ? parts.join(' ') : parts.slice(first).join(' ');
}

/** Splits a normalised name into its words: "smith jones" → ["smith", "jones"]; "" → []. */
export function splitNameParts(normalised: string): string[] {
  return normalised.split(' ').filter((part) => part.length > 0);
}

/** Normalises a raw name, strips leading titles and splits it: "Mrs Sarah Smith-Jones" → ["sarah", "smith", "jones"]. */
export function nameParts(name: string): string[] {
  return splitNameParts(stripTitles(normaliseName(name)));
}

/**
 * A full UK postcode: outward code (area letters, district digit, optional digit or letter) then inward code (sector
 * digit, two unit letters, never C I K M O V). Letter positions follow Royal Mail's rules; GIR 0AA is the one special.
 */
const POSTCODE =
  /^(?<outcode>[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?))(?<incode>[0-9][ABD-HJLNP-UW-Z]{2})$/;

/**
 * The outward code of a full UK postcode, upper case and without spaces: "sw1a 1aa" → "SW1A", "M1 1AE" → "M1",
 * "GIR 0AA" → "GIR". Anything that is not a whole valid postcode (an outcode alone, a typo, a foreign code) → null.
 */
export function postcodeOutcode(postcode: string): string | null {
  const compact = postcode.toUpperCase().replace(/\s+/g, '');
  if (compact === 'GIR0AA') return 'GIR';
  return POSTCODE.exec(compact)?.groups?.['outcode'] ?? null;
}

/** An outward code on its own: "SW1A", "M1", "B33". */
const OUTCODE = /^(?:[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)|GIR)$/;

/**
 * The outward code of a full postcode or of an outward code given alone ("M1 1AE" → "M1", "m1" → "M1"); null for
 * anything else. Addresses are sealed, so a person's row may carry its outward code only.
 */
export function outcodeOf(postcode: string): string | null {
  const full = postcodeOutcode(postcode);
  if (full) return full;
  const compact = postcode.toUpperCase().replace(/\s+/g, '');
  return OUTCODE.test(compact) ? compact : null;
}

/** A date of birth split into numbers. */
export type DateParts = { year: number; month: number; day: number };

/**
 * Splits a 'YYYY-MM-DD' date of birth into parts, or null unless it is a real calendar date (no 31 April, 29 February
 * only in leap years).
 */
export function dateOfBirthParts(date: string): DateParts | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
