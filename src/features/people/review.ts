// What the coordinator's "who are these people?" page shows for a referral: each person it names, the standing
// decisions about them, the candidates already on record with the evidence for each, and the flags that matter
// (a serial perpetrator; referrals held by another MARAC).
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { visibleReferrals } from '../referrals/queries.ts';
import type { PersonLinkDecision } from '../../platform/db/schema.ts';
import { casePeople, type ReferralPerson } from '../referrals/people.ts';
import { knownElsewhere, perpetratorVictimCount } from './links.ts';
import type { PersonNames } from './matching/columns.ts';
import { findMatches, type Match } from './matching/match.ts';
import { normaliseName } from './matching/normalise.ts';
import { surnameFrequencyFromCounts } from './matching/weights.ts';

/** The area's population and how many of its people carry the surname, as scoring needs them (counts only). */
async function nameCounts(trx: Tx, areaId: string, familyName: string) {
  const surname = normaliseName(familyName);
  const { rows } = await sql<{ population: string | number; people: string | number }>`
    select population, people from marac_area_name_counts(${areaId}::uuid, ${[surname]}::text[])`.execute(trx);
  const population = Number(rows[0]?.population ?? 0);
  const people = Number(rows[0]?.people ?? 0);
  return { population, surnameFrequency: surnameFrequencyFromCounts(new Map([[surname, people]]), population) };
}

export type CandidateView = Match & {
  givenNames: string;
  familyName: string;
  dateOfBirth: string | null;
  referrals: { reference: string | null; status: string; submittedAt: Date | null }[];
};

export type LinkView = {
  id: string;
  decision: PersonLinkDecision;
  candidate: { givenNames: string; familyName: string; dateOfBirth: string | null } | null;
  decidedAt: Date;
  byMatcher: boolean;
};

export type PersonReview = {
  person: ReferralPerson;
  links: LinkView[];
  candidates: CandidateView[];
  serialPerpetrator: boolean;
  knownElsewhere: { areaName: string; referredOn: string }[];
};

/**
 * A person's stored matching columns beyond the names: the outward code and the postcode key (never the postcode),
 * and when the row was written (the date an approximate age was given).
 */
export type StoredMatchingFields = { postcode_outcode: string | null; postcode_key: string | null; created_at?: Date };

/**
 * The person being matched, as the matcher takes them: names, date of birth and — from their row, since the address
 * itself is sealed — the stored outward code as `postcode` and the postcode key as `postcodeKey`; without a date
 * of birth, the year of birth an approximate age gives (the year the person was entered less the age).
 */
export function personToMatch(person: ReferralPerson, stored: StoredMatchingFields | undefined): PersonNames {
  return {
    givenNames: person.givenNames,
    familyName: person.familyName,
    aliases: person.aliases,
    dateOfBirth: person.dateOfBirth,
    postcode: stored?.postcode_outcode ?? null,
    postcodeKey: stored?.postcode_key ?? null,
    birthYearEstimate:
      person.dateOfBirth === null && person.attributes.approximateAge !== undefined && stored?.created_at
        ? stored.created_at.getUTCFullYear() - person.attributes.approximateAge
        : null,
  };
}

/** The stored matching fields of people (outward code, postcode key, when written), by id. */
async function storedMatchingFields(trx: Tx, ids: string[]): Promise<Map<string, StoredMatchingFields>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('person')
    .select(['id', 'postcode_outcode', 'postcode_key', 'created_at'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** The review of every person on the referral's case; the caller has checked the actor is its area's coordinator. */
export async function reviewPeople(
  trx: Tx,
  actor: Actor,
  referral: { id: string; area_id: string; case_id: string },
): Promise<PersonReview[]> {
  const people = await casePeople(trx, referral.case_id);
  const postcodes = await storedMatchingFields(
    trx,
    people.map((p) => p.id),
  );
  const reviews: PersonReview[] = [];
  for (const { identityId, ...person } of people) {
    const links = await trx
      .selectFrom('person_link as l')
      .leftJoin('person as c', 'c.id', 'l.candidate_person_id')
      .select([
        'l.id',
        'l.decision',
        'l.decided_at',
        'l.decided_by',
        'c.given_names',
        'c.family_name',
        'c.date_of_birth',
      ])
      .where('l.person_id', '=', person.id)
      .where('l.undone_at', 'is', null)
      .orderBy('l.decided_at')
      .execute();
    const matches = await findMatches(trx, referral.area_id, personToMatch(person, postcodes.get(person.id)), {
      excludeCaseId: referral.case_id,
      ...(await nameCounts(trx, referral.area_id, person.familyName)),
    });
    const candidates: CandidateView[] = [];
    const seenIdentities = new Set<string>([identityId]);
    for (const match of matches) {
      // One line per identity (its best-scoring record); the person's own identity is already linked.
      if (seenIdentities.has(match.identityId)) continue;
      const details = await candidateDetails(trx, actor, match.personId);
      // People only on someone's unsubmitted draft, or on cases the coordinator is barred from, are not shown.
      if (!details || (details.referrals.length === 0 && match.externalId === null)) continue;
      seenIdentities.add(match.identityId);
      candidates.push({ ...match, ...details });
    }
    reviews.push({
      person,
      links: links.map((l) => ({
        id: l.id,
        decision: l.decision,
        candidate:
          l.given_names === null || l.family_name === null
            ? null
            : { givenNames: l.given_names, familyName: l.family_name, dateOfBirth: l.date_of_birth },
        decidedAt: l.decided_at,
        byMatcher: l.decided_by === null,
      })),
      candidates,
      serialPerpetrator:
        person.role === 'perpetrator' && (await perpetratorVictimCount(trx, referral.area_id, identityId)) >= 2,
      knownElsewhere:
        person.role === 'victim' || person.role === 'perpetrator' ? await knownElsewhere(trx, person.id) : [],
    });
  }
  return reviews;
}

/** A candidate's names and the submitted referrals naming them that the coordinator may see. */
async function candidateDetails(trx: Tx, actor: Actor, personId: string) {
  const person = await trx
    .selectFrom('person')
    .select(['given_names', 'family_name', 'date_of_birth'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return null;
  const referrals = await trx
    .selectFrom('case_person')
    .innerJoin('referral', 'referral.case_id', 'case_person.case_id')
    .select(['referral.reference', 'referral.status', 'referral.submitted_at'])
    .where('case_person.person_id', '=', personId)
    .where('referral.status', '<>', 'draft')
    .where(visibleReferrals(actor))
    .orderBy('referral.submitted_at')
    .execute();
  return {
    givenNames: person.given_names,
    familyName: person.family_name,
    dateOfBirth: person.date_of_birth,
    referrals: referrals.map((r) => ({ reference: r.reference, status: r.status, submittedAt: r.submitted_at })),
  };
}
