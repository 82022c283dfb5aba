import { sql } from 'kysely';
import type { Tx } from '../../platform/db/transaction.ts';
import { findCandidates } from '../people/matching/candidates.ts';
import { normaliseName } from './names.ts';

/** The identity of a person already on record in the area (a `person.identity_id`). */
export type ExistingPersonId = string & { readonly __brand: 'ExistingPersonId' };

/** What a matcher is given: a person as the referral names them. */
export type PersonToMatch = {
  givenNames: string;
  familyName: string;
  aliases: readonly string[];
  /** 'YYYY-MM-DD', or null when unknown. */
  dateOfBirth: string | null;
  /** The case the person was entered on; its own rows never count as a match. */
  caseId: string;
};

/**
 * The seam where person matching plugs in. Submission asks it for the victim and each perpetrator, and compares
 * the identities it returns for the repeat rule; a fuller matcher (aliases, fuzzy names, coordinator review) can
 * replace the exact one without touching callers.
 */
export interface PersonMatcher {
  match(trx: Tx, areaId: string, person: PersonToMatch): Promise<ExistingPersonId | null>;
}

/**
 * Exact matching: the same normalised given names and family name and the same date of birth, in the same area.
 * Without a date of birth nobody is matched (two people may share a name; a false match would join strangers).
 * The lookup runs in the database (marac_match_person) because row-level security rightly hides other
 * referrals' people from a referrer; it returns an id only.
 */
export const exactPersonMatcher: PersonMatcher = {
  async match(trx, areaId, person) {
    if (person.dateOfBirth === null) return null;
    const { rows } = await sql<{ identity: string | null }>`
      select marac_match_person(${areaId}::uuid, ${normaliseName(person.givenNames)},
                                ${normaliseName(person.familyName)}, ${person.dateOfBirth}::date,
                                ${person.caseId}::uuid) as identity`.execute(trx);
    const identity = rows[0]?.identity ?? null;
    return identity === null ? null : (identity as ExistingPersonId);
  },
};

/**
 * A matcher backed by the candidate search (features/people/matching), deliberately no bolder than the exact
 * matcher: it links only a candidate whose normalised names and date of birth all equal the person's. Nicknames,
 * typos and swapped dates are found by `findMatches` and offered to a coordinator to confirm; they are never linked
 * silently. The search answers only a referrer, coordinator or IDVA of the area, as marac_match_person does.
 */
export const candidatePersonMatcher: PersonMatcher = {
  async match(trx, areaId, person) {
    if (person.dateOfBirth === null) return null;
    const candidates = await findCandidates(
      trx,
      areaId,
      { ...person, aliases: [...person.aliases] },
      { excludeCaseId: person.caseId },
    );
    const given = normaliseName(person.givenNames);
    const family = normaliseName(person.familyName);
    const exact = candidates
      .filter(
        (c) =>
          c.dateOfBirth === person.dateOfBirth &&
          normaliseName(c.givenNames) === given &&
          normaliseName(c.familyName) === family,
      )
      .sort((a, b) => (a.identityId < b.identityId ? -1 : 1))[0];
    return exact ? (exact.identityId as ExistingPersonId) : null;
  },
};
