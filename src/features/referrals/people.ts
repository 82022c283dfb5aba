import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { CasePersonRole } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/http/errors.ts';
import { referralAudit, type ReferralContext } from './context.ts';
import { editableReferral } from './drafts.ts';
import { matchingColumns } from '../people/matching/columns.ts';
import type { PostcodeFields } from '../people/postcodes.ts';
import { personPostcode } from './postcodes.ts';
import { parseDate } from './rules/dates.ts';
import { withCaseFields } from '../../platform/crypto/fields.ts';
import { notFound } from '../../platform/http/errors.ts';
import {
  personAttributesSchema,
  personDetailsSchema,
  RELATIONSHIPS,
  type PersonAttributes,
  type PersonDetails,
} from './person-details.ts';

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
  relationship: z.enum(RELATIONSHIPS).nullable().default(null),
  attributes: personAttributesSchema.default({}),
  details: personDetailsSchema.default({}),
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
  attributes: PersonAttributes;
};

/**
 * Adds a person to the referrer's draft: a new person row in the area, linked to the referral's case. People are
 * matched to existing records only at submission (submit.ts), so a draft never probes who is already known.
 */
export async function addPerson(trx: Tx, ctx: ReferralContext, referralId: string, input: unknown): Promise<string> {
  const person = parsePerson(input);
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
  const details = await sealDetails(trx, ctx, referral.case_id, id, person.details);
  const postcode = await personPostcode(trx, ctx, referral, person.role, person.details);
  await trx
    .insertInto('person')
    .values({
      id,
      area_id: referral.area_id,
      identity_id: id,
      ...personColumns(person, postcode),
      details,
    })
    .execute();
  await recordAudit(trx, referralAudit(ctx, 'referral.updated', referral, 'referrer'));
  return id;
}

/** Changes a person on the referrer's draft (or returned referral). The role stays as it was. */
export async function updatePerson(
  trx: Tx,
  ctx: ReferralContext,
  referralId: string,
  personId: string,
  input: unknown,
): Promise<void> {
  const person = parsePerson(input);
  const referral = await editableReferral(trx, ctx, referralId);
  const link = await personOnCase(trx, referral.case_id, personId);
  if (link.role !== person.role) throw notFound();
  const details = await sealDetails(trx, ctx, referral.case_id, personId, person.details);
  const postcode = await personPostcode(trx, ctx, referral, person.role, person.details);
  await trx
    .updateTable('case_person')
    .set({ relationship: person.relationship })
    .where('case_id', '=', referral.case_id)
    .where('person_id', '=', personId)
    .execute();
  await trx
    .updateTable('person')
    .set({ ...personColumns(person, postcode), details })
    .where('id', '=', personId)
    .execute();
  await recordAudit(trx, referralAudit(ctx, 'referral.updated', referral, 'referrer'));
}

/**
 * Removes a person from the referrer's draft. Not from a returned referral: its people were on the submitted
 * referral and may already be matched to other records, so the referrer tells the coordinator instead.
 */
export async function removePerson(trx: Tx, ctx: ReferralContext, referralId: string, personId: string) {
  const referral = await editableReferral(trx, ctx, referralId);
  await personOnCase(trx, referral.case_id, personId);
  if (referral.status !== 'draft') {
    throw new AppError(
      409,
      'person_not_removable',
      'People named on a submitted referral cannot be removed. Say what has changed in your answer to the coordinator',
    );
  }
  // The person first, while its link still makes it visible under row-level security.
  await trx.deleteFrom('person').where('id', '=', personId).execute();
  await trx
    .deleteFrom('case_person')
    .where('case_id', '=', referral.case_id)
    .where('person_id', '=', personId)
    .execute();
  await recordAudit(trx, referralAudit(ctx, 'referral.updated', referral, 'referrer'));
}

/** The sealed details of a case's people, by person id (for the referrer, the coordinator and the IDVA). */
export async function openPeopleDetails(
  trx: Tx,
  ctx: ReferralContext,
  caseId: string,
): Promise<Record<string, PersonDetails>> {
  const rows = await trx
    .selectFrom('case_person')
    .innerJoin('person', 'person.id', 'case_person.person_id')
    .select(['person.id', 'person.details'])
    .where('case_person.case_id', '=', caseId)
    .execute();
  const opened: Record<string, PersonDetails> = {};
  await withCaseFields(trx, ctx.keyring, caseId, async (fields) => {
    for (const row of rows) {
      const text = await fields.open('person', 'details', row.id, row.details);
      opened[row.id] = text === null ? {} : personDetailsSchema.parse(JSON.parse(text));
    }
  });
  return opened;
}

type ParsedPerson = z.infer<typeof personInputSchema>;

function parsePerson(input: unknown): ParsedPerson {
  const parsed = personInputSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError(400, 'invalid_person', 'The person could not be understood. Go back and try again.');
  return parsed.data;
}

/**
 * The person's columns from what the referrer entered. Matching columns computed from the names belong here, so
 * adding and changing a person keep them in step; `postcode` (postcodes.ts `personPostcode`) gives the outward code
 * and postcode key of their address, which itself stays sealed.
 */
export function personColumns(
  person: Pick<ParsedPerson, 'givenNames' | 'familyName' | 'aliases' | 'dateOfBirth'> & {
    attributes: PersonAttributes;
  },
  postcode: PostcodeFields,
) {
  return {
    given_names: person.givenNames,
    family_name: person.familyName,
    aliases: person.aliases,
    date_of_birth: person.dateOfBirth,
    ...matchingColumns({ ...person, ...postcode }),
    attributes: JSON.stringify(person.attributes),
  };
}

async function sealDetails(trx: Tx, ctx: ReferralContext, caseId: string, personId: string, details: PersonDetails) {
  const kept = Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && value !== ''));
  const text = Object.keys(kept).length > 0 ? JSON.stringify(kept) : null;
  return withCaseFields(trx, ctx.keyring, caseId, (fields) => fields.seal('person', 'details', personId, text));
}

async function personOnCase(trx: Tx, caseId: string, personId: string) {
  const link = await trx
    .selectFrom('case_person')
    .select(['role'])
    .where('case_id', '=', caseId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!link) throw notFound();
  return link;
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
      'person.attributes',
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
      attributes: personAttributesSchema.parse(row.attributes),
    }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}
