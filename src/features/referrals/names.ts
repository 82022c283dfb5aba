import { normaliseName as normaliseForMatching } from '../people/matching/normalise.ts';

/**
 * A name as the matcher compares it. One normalisation is used everywhere, the person-matching module's: accents
 * folded, lower case, apostrophes removed, other punctuation read as spaces. "  Zoë  O'Brien-Smith " →
 * "zoe obrien smith".
 */
export function normaliseName(name: string): string {
  return normaliseForMatching(name);
}
