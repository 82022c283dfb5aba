/**
 * A name as the matcher compares it: Unicode-normalised, accents removed, lower case, apostrophes and hyphens read
 * as spaces, runs of spaces collapsed. "  Zoë  O'Brien-Smith " → "zoe o brien smith".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en-GB')
    .replace(/[\u2019'`\u2010-\u2015-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
