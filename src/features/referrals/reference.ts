import { sql } from 'kysely';
import type { Tx } from '../../platform/db/transaction.ts';

/**
 * A reference prefix from the area's name: the initials of its words, "MARAC" left out, up to six letters
 * ("Leeds and Wakefield MARAC" → "LAW"); "REF" when the name has no letters to use.
 */
export function referencePrefix(areaName: string): string {
  const initials = areaName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^A-Za-z]+/)
    .filter((word) => word !== '' && word.toUpperCase() !== 'MARAC')
    .map((word) => word[0]!.toUpperCase())
    .join('')
    .slice(0, 6);
  return initials === '' ? 'REF' : initials;
}

/**
 * The next reference number, `<prefix>-<year>-<sequence>` (e.g. LAW-2026-0042), counted per prefix and year in
 * the caller's transaction: the counter row is locked until commit, so two submissions never share a number, and
 * two areas with the same initials share one sequence rather than colliding.
 */
export async function nextReference(trx: Tx, areaName: string, year: number): Promise<string> {
  const prefix = referencePrefix(areaName);
  const { rows } = await sql<{ last: number }>`
    insert into referral_counter (prefix, year, last) values (${prefix}, ${year}, 1)
    on conflict (prefix, year) do update set last = referral_counter.last + 1
    returning last`.execute(trx);
  const last = rows[0]?.last;
  if (last === undefined) throw new Error('the reference counter returned nothing');
  return `${prefix}-${year}-${String(last).padStart(4, '0')}`;
}
