import {
  compareRecords,
  type ComparisonVector,
  type NameComparison,
  type NameSource,
  type PersonRecord,
} from './compare.ts';
import {
  DEFAULT_PROBABILITIES,
  DEFAULT_WEIGHTS,
  exactSurnameWeight,
  matchWeights,
  NAME_SWAP_WEIGHT,
  unknownSurnameFrequency,
  type MatchProbabilities,
  type SurnameFrequency,
} from './weights.ts';
import { outcodeOf } from './normalise.ts';

/**
 * Fellegi-Sunter scoring of one candidate: the sum of the log2 match weights of its comparison vector, read into three
 * bands. A coordinator confirms every link; the bands only decide what is offered and how prominently.
 */

export type Band = 'strong' | 'possible' | 'none';

/**
 * Score at or above which a candidate is a strong match. Read as a Bayes factor of 2^22 (about four million to one):
 * with a prior of about 1 in 1,000 that a blocked candidate is the person, the posterior is above 0.999. Exact name
 * and date of birth (≈ 26.7) reach it without an address; a nickname, a similar surname and a swapped day and month
 * (≈ 15.9) do not.
 */
export const STRONG_THRESHOLD = 22;

/**
 * The strong threshold for an area of `population` people. The prior odds that one given person on record is the one
 * referred are about 1 to N, so a posterior of 0.999 needs a Bayes factor of about 999·N: a score of log2(N) + 10,
 * never below `STRONG_THRESHOLD` (the two agree at about 4,000 people). At 100,000 people that is 26.6 (exact names
 * and date of birth, unless the surname is common); at a million, 29.9 (they also need an address or a rare name):
 * at that size two people sharing a common name and a date of birth are expected, not rare (the matching benchmark
 * found them). Unknown population → `STRONG_THRESHOLD`.
 */
export function strongThreshold(population?: number | null): number {
  if (!population || !Number.isFinite(population) || population < 1) return STRONG_THRESHOLD;
  return Math.max(STRONG_THRESHOLD, Math.log2(population) + 10);
}

/**
 * Score at or above which a candidate is a possible match: low, because missing a repeat victim is a safety failure.
 * Exact names with an unrelated date of birth (≈ 8.2), a nickname with a similar surname and no date of birth (≈ 8.6),
 * and two slightly misspelt names with no date of birth and a new address (≈ 6.8) are offered; a shared surname with
 * different forename and date of birth and no address (≈ -3.7) is not. Lowered from 6 to 4 by the matching benchmark
 * (docs/matching-benchmark.md): at 6, a fifth of the hard tier's repeats that blocking found were scored out.
 */
export const POSSIBLE_THRESHOLD = 4;

export type BandThresholds = { strong: number; possible: number };

export const DEFAULT_THRESHOLDS: BandThresholds = { strong: STRONG_THRESHOLD, possible: POSSIBLE_THRESHOLD };

export type EvidenceField = 'forename' | 'surname' | 'name order' | 'date of birth' | 'age' | 'address' | 'band';

/**
 * One line of evidence for a coordinator: the field, the level it agreed at, the weight it added and the values
 * compared. `band` lines carry weight 0 and say why the band was capped. Evidence holds personal data: show it on a
 * screen the coordinator may see, never log it.
 */
export type Evidence = { field: EvidenceField; level: string; weight: number; detail: string };

export type ScoreOptions = {
  /** How common each surname is in the area; by default none is known and exact surnames get the average weight. */
  surnameFrequency?: SurnameFrequency;
  /** m/u probabilities; `DEFAULT_PROBABILITIES` by default. */
  probabilities?: MatchProbabilities;
  /** Bands; by default strong at `strongThreshold(population)` and possible at `POSSIBLE_THRESHOLD`. */
  thresholds?: BandThresholds;
  /** How many people the area holds (see `strongThreshold`); unknown by default. */
  population?: number | null;
};

export type ScoreResult = { score: number; band: Band; evidence: Evidence[]; vector: ComparisonVector };

/** Forename levels that say the same person; any other (apart from `missing`) can be a brother, sister or twin. */
const SAME_FORENAME: ReadonlySet<string> = new Set(['exact', 'nickname']);
/** Surname levels that say the same family name. */
const SAME_SURNAME: ReadonlySet<string> = new Set(['exact', 'previous_surname', 'alias']);
/** Date-of-birth levels consistent with one person (equal, or one keying slip apart). */
const DOB_AGREES: ReadonlySet<string> = new Set(['exact', 'day_month_swapped', 'one_digit_off']);

/** What the candidate's compared name was, when not its recorded forenames and surname. */
const FORENAME_NOTE: Readonly<Record<NameSource, string>> = {
  recorded: '',
  swapped: ', recorded as surname',
  previous_surname: '',
  alias: ', alias',
};
const SURNAME_NOTE: Readonly<Record<NameSource, string>> = {
  recorded: '',
  swapped: ', recorded as forenames',
  previous_surname: ', previous surname',
  alias: ', alias',
};

/** A record's year of birth as shown beside an estimate: "1985", or "about 1985" when estimated. */
function yearOf(record: PersonRecord): string | null {
  if (record.dateOfBirth) return record.dateOfBirth.slice(0, 4);
  return record.birthYearEstimate ? `about ${record.birthYearEstimate}` : null;
}

/**
 * The addresses as a coordinator reads them. Stored people keep only an outward code and a postcode key, so equal
 * keys are said in words ("same postcode, in ZE8"): "ZE8 ~ ZE8" alone would read as the outward code only.
 */
function addressDetail(query: PersonRecord, candidate: PersonRecord): string {
  if (query.postcodeKey && query.postcodeKey === candidate.postcodeKey) {
    const outcode = outcodeOf(candidate.postcode ?? query.postcode ?? '');
    return outcode ? `same postcode, in ${outcode}` : 'same postcode';
  }
  return pair(query.postcode ?? query.addressLine, candidate.postcode ?? candidate.addressLine);
}

function round1(weight: number): number {
  return Math.round(weight * 10) / 10;
}

function pair(a: string | null | undefined, b: string | null | undefined): string {
  const show = (value: string | null | undefined): string =>
    value === null || value === undefined || value === '' ? '(none)' : value;
  return `${show(a)} ~ ${show(b)}`;
}

/** Why a candidate may not be strong, whatever its score; [] when nothing caps it. */
function caps(vector: ComparisonVector): Evidence[] {
  const reasons: string[] = [];
  const { name, dob, address } = vector;
  if (name.forename === 'missing' || name.surname === 'missing') {
    reasons.push('a forename or surname is missing');
  }
  if (dob === 'missing') reasons.push('a date of birth is missing');
  else if (!DOB_AGREES.has(dob)) reasons.push('the dates of birth disagree');
  const differentForenames = name.forename !== 'missing' && !SAME_FORENAME.has(name.forename);
  if (SAME_SURNAME.has(name.surname) && differentForenames && dob === 'exact') {
    reasons.push('twins guard: same surname and date of birth but different forenames');
  } else if (SAME_SURNAME.has(name.surname) && name.forename !== 'exact' && address === 'exact') {
    // At one address a nickname is not enough either: a household can hold twins called Harry and Henry (the
    // matching benchmark linked such a pair strongly at a million people once postcodes were compared).
    reasons.push('siblings guard: same surname and address but not the same forename');
  }
  return reasons.map((reason) => ({ field: 'band', level: 'capped_at_possible', weight: 0, detail: reason }));
}

/**
 * Scores a candidate against the person being matched. The score is the sum of the fields' weights (forename,
 * surname with its term-frequency adjustment, a swapped-names penalty, date of birth, address); the band is `strong`
 * at or above `thresholds.strong`, `possible` at or above `thresholds.possible`, else `none`. A candidate is never
 * `strong` (at most `possible`) when a name or the date of birth is missing, the dates of birth disagree beyond one
 * keying slip, or the twins/siblings guard holds: the same surname (or previous surname or alias) with forenames
 * neither equal nor nicknames and the same date of birth (twins, who may live apart), or with forenames not equal
 * (a nickname is not enough) and the same address (siblings).
 * The evidence says which.
 */
export function scoreCandidate(query: PersonRecord, candidate: PersonRecord, options: ScoreOptions = {}): ScoreResult {
  const probabilities = options.probabilities ?? DEFAULT_PROBABILITIES;
  const weights = options.probabilities ? matchWeights(options.probabilities) : DEFAULT_WEIGHTS;
  const thresholds = options.thresholds ?? {
    strong: strongThreshold(options.population),
    possible: POSSIBLE_THRESHOLD,
  };
  const frequency = options.surnameFrequency ?? unknownSurnameFrequency;
  const surnameWeightOf = (comparison: NameComparison): number =>
    comparison.source === 'recorded' && comparison.surname === 'exact'
      ? exactSurnameWeight(comparison.querySurname, frequency, probabilities)
      : weights.surname[comparison.surname];
  const nameWeight = (comparison: NameComparison): number =>
    weights.forename[comparison.forename] +
    surnameWeightOf(comparison) +
    (comparison.source === 'swapped' ? NAME_SWAP_WEIGHT : 0);
  // The names are read the way that weighs most (recorded, swapped, via a previous surname or an alias).
  const vector = compareRecords(query, candidate, nameWeight);
  const { name } = vector;
  const surnameWeight = surnameWeightOf(name);
  const evidence: Evidence[] = [
    {
      field: 'forename',
      level: name.forename,
      weight: weights.forename[name.forename],
      detail: pair(name.queryForenames, name.candidateForenames) + FORENAME_NOTE[name.source],
    },
    {
      field: 'surname',
      level: name.surname,
      weight: surnameWeight,
      detail: pair(name.querySurname, name.candidateSurname) + SURNAME_NOTE[name.source],
    },
  ];
  if (name.source === 'swapped') {
    evidence.push({
      field: 'name order',
      level: 'swapped',
      weight: NAME_SWAP_WEIGHT,
      detail: 'forenames and surname recorded the other way round',
    });
  }
  evidence.push(
    {
      field: 'date of birth',
      level: vector.dob,
      weight: weights.dob[vector.dob],
      detail: pair(query.dateOfBirth, candidate.dateOfBirth),
    },
    ...(vector.age === 'missing'
      ? []
      : [
          {
            field: 'age' as const,
            level: vector.age,
            weight: weights.age[vector.age],
            detail: pair(yearOf(query), yearOf(candidate)),
          },
        ]),
    {
      field: 'address',
      level: vector.address,
      weight: weights.address[vector.address],
      detail: addressDetail(query, candidate),
    },
  );

  const score = evidence.reduce((sum, line) => sum + line.weight, 0);
  const capped = caps(vector);
  let band: Band = score >= thresholds.strong ? 'strong' : score >= thresholds.possible ? 'possible' : 'none';
  if (band === 'strong' && capped.length > 0) band = 'possible';
  return { score, band, evidence: [...evidence, ...capped], vector };
}

/**
 * One evidence line as a coordinator reads it: "forename: nickname (Jon ~ Jonathan) +4.9"; band lines read
 * "band: capped at possible (a date of birth is missing)".
 */
export function describeEvidence(line: Evidence): string {
  const level = line.level.replaceAll('_', ' ');
  if (line.field === 'band') return `band: ${level} (${line.detail})`;
  const weight = round1(line.weight);
  const signed = weight > 0 ? `+${weight.toFixed(1)}` : weight.toFixed(1);
  return `${line.field}: ${level} (${line.detail}) ${signed}`;
}
