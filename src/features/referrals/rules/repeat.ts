// The SafeLives repeat rule as a pure function.
//
// A referral is a repeat when it concerns the same victim and at least one of the same perpetrators as a previous
// MARAC referral, and its date falls within the area's repeat window (12 months by default) of that previous
// REFERRAL's date (not the date of the meeting that heard it). A repeat is heard whatever its score. A different
// perpetrator means a new case, not a repeat.
//
// Decisions, kept with every decision through REPEAT_DEFINITION_VERSION (change the version when one changes):
// - The window includes its last day, the exact anniversary: a referral on 2025-05-10 repeats one of 2024-05-10,
//   one on 2025-05-11 does not. "Within 12 months" reads naturally as including the anniversary, and a missed
//   repeat (a high-risk victim not re-heard) costs more than one case heard again.
// - Months are calendar months; when the anniversary month is shorter the window ends on its last day. So a
//   referral of 2024-02-29 stays repeatable up to and including 2025-02-28, and 2025-03-01 is outside.
// - The window starts on the previous referral's own date: a previous referral on the same day counts. A previous
//   referral dated after the new one (history entered late) is never the one repeated.
// - When several previous referrals qualify, the most recent is returned (the window runs from "the last referral");
//   among referrals on the same date the greatest id wins, so the answer does not depend on the order given.
// - Ids are those of the person records after the coordinator has matched identities; the rule compares ids only.
//   A new referral with no perpetrator recorded can repeat nothing.

import { addMonths, compareDates, parseDate } from './dates.ts';
import type { CriteriaSettings } from './settings.ts';

export const REPEAT_DEFINITION_VERSION = 'safelives-2023-1';

export interface RepeatCandidate {
  /** 'YYYY-MM-DD': the date of the referral. */
  readonly date: string;
  readonly victimId: string;
  readonly perpetratorIds: readonly string[];
}

export interface PreviousReferral extends RepeatCandidate {
  readonly id: string;
}

export interface RepeatFinding<P extends PreviousReferral = PreviousReferral> {
  /** The previous referral this one repeats, or null when it is not a repeat. */
  readonly repeatOf: P | null;
  /** Store with the decision: which definition of a repeat was applied. */
  readonly definitionVersion: string;
  readonly windowMonths: number;
}

/** Throws RangeError for a date that is not a real 'YYYY-MM-DD' date. */
export function findRepeat<P extends PreviousReferral>(
  newReferral: RepeatCandidate,
  previous: readonly P[],
  settings: Pick<CriteriaSettings, 'repeatWindowMonths'>,
): RepeatFinding<P> {
  const windowMonths = settings.repeatWindowMonths;
  parseDate(newReferral.date);
  const perpetrators = new Set(newReferral.perpetratorIds.filter((id) => id !== ''));

  let repeatOf: P | null = null;
  for (const candidate of previous) {
    const windowEnds = repeatWindowEnds(candidate.date, settings);
    const qualifies =
      candidate.victimId !== '' &&
      candidate.victimId === newReferral.victimId &&
      candidate.perpetratorIds.some((id) => perpetrators.has(id)) &&
      compareDates(candidate.date, newReferral.date) <= 0 &&
      compareDates(newReferral.date, windowEnds) <= 0;
    if (qualifies && (repeatOf === null || isLater(candidate, repeatOf))) repeatOf = candidate;
  }
  return { repeatOf, definitionVersion: REPEAT_DEFINITION_VERSION, windowMonths };
}

/** The last day a referral on `date` can be repeated, given the window: the anniversary, clamped to month end. */
export function repeatWindowEnds(date: string, settings: Pick<CriteriaSettings, 'repeatWindowMonths'>): string {
  return addMonths(date, settings.repeatWindowMonths);
}

function isLater(a: PreviousReferral, b: PreviousReferral): boolean {
  const byDate = compareDates(a.date, b.date);
  return byDate > 0 || (byDate === 0 && a.id > b.id);
}
