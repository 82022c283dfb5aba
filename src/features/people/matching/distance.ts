/**
 * String distance and similarity measures used to score name agreement. All work on UTF-16 code units, so callers
 * should normalise first (see `normalise.ts`); the names we compare are folded to ASCII letters by then.
 */

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions turning `a` into `b`. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * Damerau-Levenshtein distance in its **optimal string alignment** (OSA, "restricted edit distance") form: Levenshtein
 * plus transposition of two adjacent characters, where no substring is edited more than once. This is what is
 * implemented, not the unrestricted Damerau distance: `osaDistance('ca', 'abc')` is 3, where true Damerau gives 2.
 * For typo-style name errors (one swap, "Jonh" for "John") the two agree.
 */
export function osaDistance(a: string, b: string): number {
  return boundedOsa(a, b, Infinity);
}

/** Whether `osaDistance(a, b) <= limit`, stopping as soon as it cannot be (scoring asks only "one slip? two?"). */
export function osaWithin(a: string, b: string, limit: number): boolean {
  return boundedOsa(a, b, limit) <= limit;
}

/**
 * The OSA distance, or a number over `limit` as soon as it cannot be within it: the lengths differ by more, or two
 * rows of the table running are all over the limit (every later cell is built from those two rows, plus one or more).
 */
function boundedOsa(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  // Three rows of the table are enough: the current one, the one above, and the one above that (transpositions).
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  let previousLowest = 0;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let lowest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < lowest) lowest = best;
    }
    if (lowest > limit && previousLowest > limit) return limit + 1;
    previousLowest = lowest;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * Jaro similarity in [0, 1]. Characters match when equal and no further apart than
 * `floor(max(|a|, |b|) / 2) - 1`; t is half the number of matched characters out of order;
 * sim = (m/|a| + m/|b| + (m - t)/m) / 3, or 0 when nothing matches. Two empty strings are identical (1).
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) outOfOrder++;
    k++;
  }
  const transpositions = outOfOrder / 2;
  return (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
}

/** Winkler's defaults: prefix scale p = 0.1, at most 4 prefix characters, boost only above Jaro 0.7. */
export const JARO_WINKLER_DEFAULTS = { prefixScale: 0.1, maxPrefix: 4, boostThreshold: 0.7 } as const;

export type JaroWinklerOptions = { prefixScale?: number; maxPrefix?: number; boostThreshold?: number };

/**
 * Jaro-Winkler similarity in [0, 1]: sim_j + l * p * (1 - sim_j), where l is the length of the common prefix (at most
 * `maxPrefix`, 4) and p the prefix scale (0.1). Following Winkler (1990) the prefix boost is applied only when the
 * Jaro similarity is strictly greater than the boost threshold (0.7); below it the Jaro value is returned unchanged.
 * MARTHA/MARHTA = 0.9611, DWAYNE/DUANE = 0.84, DIXON/DICKSONX = 0.8133.
 */
export function jaroWinkler(a: string, b: string, options: JaroWinklerOptions = {}): number {
  const prefixScale = options.prefixScale ?? JARO_WINKLER_DEFAULTS.prefixScale;
  const maxPrefix = options.maxPrefix ?? JARO_WINKLER_DEFAULTS.maxPrefix;
  const boostThreshold = options.boostThreshold ?? JARO_WINKLER_DEFAULTS.boostThreshold;
  if (prefixScale < 0 || prefixScale * maxPrefix > 1) {
    throw new RangeError('prefixScale × maxPrefix must be between 0 and 1');
  }
  const sim = jaro(a, b);
  if (sim <= boostThreshold) return sim;
  let prefix = 0;
  const limit = Math.min(maxPrefix, a.length, b.length);
  while (prefix < limit && a[prefix] === b[prefix]) prefix++;
  return sim + prefix * prefixScale * (1 - sim);
}
