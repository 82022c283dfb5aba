import { sql } from 'kysely';
import type { Tx } from '../../platform/db/transaction.ts';
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
