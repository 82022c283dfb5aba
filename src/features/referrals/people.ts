import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { CasePersonRole } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/http/errors.ts';
import { referralAudit, type ReferralContext } from './context.ts';
import { editableReferral } from './drafts.ts';
import { matchingColumns } from '../people/matching/columns.ts';
import { parseDate } from './rules/dates.ts';

const name = z.string().trim().min(1).max(200);

export const personInputSchema = z.strictObject({
  role: z.enum(['victim', 'perpetrator', 'child', 'household_member']),
  givenNames: name,
  familyName: name,
  aliases: z.array(name).max(20).default([]),
  dateOfBirth: z
    .string()
    .refine((value) => {
      try {
        parseDate(value);
        return true;
      } catch {
        return false;
      }
    })
    .nullable()
    .default(null),
  relationship: z.string().trim().min(1).max(200).nullable().default(null),
});
export type PersonInput = z.input<typeof personInputSchema>;

export type ReferralPerson = {
  id: string;
  role: CasePersonRole;
  givenNames: string;
  familyName: string;
  aliases: string[];
  dateOfBirth: string | null;
  relationship: string | null;
};

/**
 * Adds a person to the referrer's draft: a new person row in the area, linked to the referral's case. People are
 * matched to existing records only at submission (submit.ts), so a draft never probes who is already known.
 */
export async function addPerson(trx: Tx, ctx: ReferralContext, referralId: string, input: unknown): Promise<string> {
  const parsed = personInputSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError(400, 'invalid_person', 'The person could not be understood. Go back and try again.');
  const person = parsed.data;
  const referral = await editableReferral(trx, ctx, referralId);
  if (person.role === 'victim') {
    const existing = await trx
      .selectFrom('case_person')
      .select('person_id')
      .where('case_id', '=', referral.case_id)
      .where('role', '=', 'victim')
      .executeTakeFirst();
    if (existing) throw new AppError(409, 'victim_already_named', 'This referral already names its victim');
  }
  const id = randomUUID();
  // The link first: row-level security admits a new person through the case it belongs to.
  await trx
    .insertInto('case_person')
    .values({ case_id: referral.case_id, person_id: id, role: person.role, relationship: person.relationship })
    .execute();
  await trx
    .insertInto('person')
    .values({
      id,
      area_id: referral.area_id,
      identity_id: id,
      given_names: person.givenNames,
      family_name: person.familyName,
      aliases: person.aliases,
      date_of_birth: person.dateOfBirth,
      ...matchingColumns(person),
    })
    .execute();
  await recordAudit(trx, referralAudit(ctx, 'referral.updated', referral, 'referrer'));
  return id;
}

/** The people a case names, in a stable order (victim first). Row-level security applies as well. */
export async function casePeople(trx: Tx, caseId: string): Promise<(ReferralPerson & { identityId: string })[]> {
  const rows = await trx
    .selectFrom('case_person')
    .innerJoin('person', 'person.id', 'case_person.person_id')
    .select([
      'person.id',
      'person.identity_id',
      'case_person.role',
      'case_person.relationship',
      'person.given_names',
      'person.family_name',
      'person.aliases',
      'person.date_of_birth',
      'person.created_at',
    ])
    .where('case_person.case_id', '=', caseId)
    .orderBy('person.created_at')
    .orderBy('person.id')
    .execute();
  const order: CasePersonRole[] = ['victim', 'perpetrator', 'child', 'household_member'];
  return rows
    .map((row) => ({
      id: row.id,
      identityId: row.identity_id,
      role: row.role,
      givenNames: row.given_names,
      familyName: row.family_name,
      aliases: row.aliases,
      dateOfBirth: row.date_of_birth,
      relationship: row.relationship,
    }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}
