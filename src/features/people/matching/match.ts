import type { Kysely } from 'kysely';
import type { Schema } from '../../../platform/db/schema.ts';
import { findCandidates, type Arm, type Candidate, type CandidateOptions } from './candidates.ts';
import { blockingName, splitAlias, type PersonNames } from './columns.ts';
import { jaroWinkler } from './distance.ts';
import type { PersonRecord } from './compare.ts';
import { scoreCandidate, type Band, type Evidence, type ScoreOptions } from './score.ts';

/**
 * Person matching: candidates from the one-statement search (candidates.ts), scored in TypeScript with the
 * Fellegi-Sunter scorer (score.ts) and ranked. Nothing is linked here: a coordinator confirms every link.
 */

export type Match = {
  personId: string;
  identityId: string;
  externalId: string | null;
  score: number;
  band: Band;
  /** Holds personal data: for a screen the caller may see, never for logs. */
  evidence: Evidence[];
  arms: Arm[];
};

export type MatchOptions = CandidateOptions &
  ScoreOptions & {
    /** Keep candidates in band `none` too (default: only `strong` and `possible`). */
    includeNone?: boolean;
    /** At most this many matches (default 10). */
    limit?: number;
  };

/** A person as the scorer sees them. */
export function personRecord(person: PersonNames): PersonRecord {
  return {
    forenames: person.givenNames,
    surname: person.familyName,
    previousSurnames: [...(person.previousSurnames ?? [])],
    aliases: (person.aliases ?? []).map(splitAlias),
    dateOfBirth: person.dateOfBirth,
    birthYearEstimate: person.birthYearEstimate ?? null,
    postcode: person.postcode ?? null,
    postcodeKey: person.postcodeKey ?? null,
  };
}

function candidateRecord(candidate: Candidate): PersonRecord {
  return personRecord({
    givenNames: candidate.givenNames,
    familyName: candidate.familyName,
    aliases: candidate.aliases,
    previousSurnames: candidate.previousSurnames,
    dateOfBirth: candidate.dateOfBirth,
    postcode: candidate.outcode,
    postcodeKey: candidate.postcodeKey,
  });
}

const fullName = (person: { givenNames: string; familyName: string }) =>
  `${blockingName(person.givenNames)} ${blockingName(person.familyName)}`;

/**
 * Scores candidates against a person and ranks them, best first. Equal scores (a common surname and no date of
 * birth gives many) are ordered by how close the whole names are (Jaro-Winkler), then by person id, so the order is
 * stable.
 */
export function rankCandidates(person: PersonNames, candidates: readonly Candidate[], options: MatchOptions = {}) {
  const query = personRecord(person);
  const queryName = fullName(person);
  const closeness = new Map<string, number>();
  const matches: Match[] = [];
  for (const candidate of candidates) {
    const result = scoreCandidate(query, candidateRecord(candidate), options);
    if (result.band === 'none' && !options.includeNone) continue;
    matches.push({
      personId: candidate.personId,
      identityId: candidate.identityId,
      externalId: candidate.externalId,
      score: result.score,
      band: result.band,
      evidence: result.evidence,
      arms: candidate.arms,
    });
    closeness.set(candidate.personId, jaroWinkler(queryName, fullName(candidate)));
  }
  matches.sort(
    (a, b) =>
      b.score - a.score ||
      closeness.get(b.personId)! - closeness.get(a.personId)! ||
      (a.personId < b.personId ? -1 : 1),
  );
  return matches.slice(0, options.limit ?? 10);
}

/**
 * The people already known in the area who may be this person, ranked. Runs the candidate search as `options.as`
 * says (see `findCandidates`: by default checked against the acting user's roles), then scores.
 */
export async function findMatches(
  db: Kysely<Schema>,
  areaId: string,
  person: PersonNames,
  options: MatchOptions = {},
): Promise<Match[]> {
  const candidates = await findCandidates(db, areaId, person, options);
  return rankCandidates(person, candidates, options);
}
