import { canonicalForenames } from './nicknames.ts';
import { dateOfBirthParts, nameParts, normaliseName, outcodeOf } from './normalise.ts';
import { daitchMokotoff, doubleMetaphoneKeys } from './phonetic.ts';

/**
 * The matching columns of a `person` row (migration 0011), computed in TypeScript when the row is written so the
 * database only ever compares what these functions produced: the candidate search (candidates.ts) computes the same
 * keys for the person being matched. Pure; no database.
 */

/** A person as written: names as entered, aliases as full names ("Jo Bloggs"), date 'YYYY-MM-DD' or null. */
export type PersonNames = {
  givenNames: string;
  familyName: string;
  aliases?: readonly string[];
  previousSurnames?: readonly string[];
  dateOfBirth: string | null;
  /**
   * A UK postcode or outward code in the clear. Addresses are sealed, so callers that hold one pass the postcode
   * here and only its outward code is stored.
   */
  postcode?: string | null;
  /**
   * The postcode key (postcode-key.ts) of the person's full postcode, computed by a caller that holds the matching
   * index key; null or absent when there is no full postcode or no key.
   */
  postcodeKey?: string | null;
  /**
   * For matching only, never stored: the year of birth an approximate age gives when there is no date of birth
   * (the year of the referral less the age).
   */
  birthYearEstimate?: number | null;
};

/** The columns to spread into an insert into `person`. */
export type MatchingColumns = {
  given_names_normalised: string;
  family_name_normalised: string;
  full_name_normalised: string;
  forename_canonical: string[];
  given_names_metaphone: string[];
  family_name_metaphone: string[];
  given_names_dm: string[];
  family_name_dm: string[];
  dob_year: number | null;
  dob_month: number | null;
  dob_day: number | null;
  postcode_outcode: string | null;
  postcode_key: string | null;
  previous_surnames: string[];
  other_surnames_normalised: string[];
};

/** A name as blocked on: normalised, leading titles removed ("Mrs Anne O'Neil" → "anne oneil"). */
export function blockingName(name: string): string {
  return nameParts(name).join(' ');
}

/** An alias "Jo Anne Bloggs" read as forenames "Jo Anne" and surname "Bloggs"; one word is a surname alone. */
export function splitAlias(alias: string): { forenames: string; surname: string } {
  const parts = alias.trim().split(/\s+/);
  const surname = parts.pop() ?? '';
  return { forenames: parts.join(' '), surname };
}

/** Codes of every word of a name, so "Smith-Jones" blocks with "Smith" and with "Jones". */
function wordCodes(name: string, code: (word: string) => string[]): string[] {
  const codes = new Set<string>();
  for (const word of name.split(' ')) if (word !== '') for (const c of code(word)) codes.add(c);
  return [...codes].sort();
}

/** The phonetic codes (Daitch-Mokotoff and Double Metaphone) of every word of a surname, as the search blocks on. */
export function surnameCodes(surname: string): string[] {
  const name = blockingName(surname);
  return [...new Set([...wordCodes(name, daitchMokotoff), ...wordCodes(name, doubleMetaphoneKeys)])];
}

/** Surnames a person has gone by other than the current one: previous surnames and aliases' surnames, normalised. */
export function otherSurnames(person: Pick<PersonNames, 'aliases' | 'previousSurnames' | 'familyName'>): string[] {
  const current = blockingName(person.familyName);
  const names = [...(person.previousSurnames ?? []), ...(person.aliases ?? []).map((a) => splitAlias(a).surname)]
    .map(blockingName)
    .filter((name) => name !== '' && name !== current);
  return [...new Set(names)].sort();
}

export function matchingColumns(person: PersonNames): MatchingColumns {
  const given = blockingName(person.givenNames);
  const family = blockingName(person.familyName);
  const dob = person.dateOfBirth ? dateOfBirthParts(person.dateOfBirth) : null;
  return {
    // Kept in the form the exact matcher (referrals/matching.ts) has always compared: normalised, titles kept.
    given_names_normalised: normaliseName(person.givenNames),
    family_name_normalised: normaliseName(person.familyName),
    full_name_normalised: `${given} ${family}`.trim(),
    forename_canonical: canonicalForenames(given),
    given_names_metaphone: wordCodes(given, doubleMetaphoneKeys),
    family_name_metaphone: wordCodes(family, doubleMetaphoneKeys),
    given_names_dm: wordCodes(given, daitchMokotoff),
    family_name_dm: wordCodes(family, daitchMokotoff),
    dob_year: dob?.year ?? null,
    dob_month: dob?.month ?? null,
    dob_day: dob?.day ?? null,
    postcode_outcode: person.postcode ? outcodeOf(person.postcode) : null,
    postcode_key: person.postcodeKey ?? null,
    previous_surnames: [...(person.previousSurnames ?? [])],
    other_surnames_normalised: otherSurnames(person),
  };
}
