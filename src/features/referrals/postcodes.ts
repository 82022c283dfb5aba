// Each person's postcode as person matching stores it (the outward code and the postcode key, never the postcode):
// found in the free-text address the referral holds for them. Addresses stay sealed; nothing here logs.
import { withCaseFields } from '../../platform/crypto/fields.ts';
import type { CasePersonRole } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { matchingColumns } from '../people/matching/columns.ts';
import { addressPostcode, NO_POSTCODE, type PostcodeFields } from '../people/postcodes.ts';
import type { ReferralContext } from './context.ts';
import type { PersonDetails } from './person-details.ts';

/** The parts of a referral row the victim's postcode comes from. */
export type VictimAddressRow = {
  id: string;
  case_id: string;
  /** Sealed. */
  victim_address: string | null;
  answers: Record<string, unknown>;
};

/**
 * The victim's postcode fields: from the referral's victim address, the one address the form asks for her. None
 * when she is in a refuge (the IDVA service holds that address, and even a hash of it must not be matched on).
 */
export async function victimPostcode(
  trx: Tx,
  ctx: ReferralContext,
  referral: VictimAddressRow,
): Promise<PostcodeFields> {
  if (referral.answers['inRefuge'] === true || referral.victim_address === null) return NO_POSTCODE;
  const address = await withCaseFields(trx, ctx.keyring, referral.case_id, (fields) =>
    fields.open('referral', 'victim_address', referral.id, referral.victim_address),
  );
  return addressPostcode(ctx.keyring, address);
}

/** A person's postcode fields: the victim's from the referral's victim address, anyone else's from their own. */
export async function personPostcode(
  trx: Tx,
  ctx: ReferralContext,
  referral: VictimAddressRow,
  role: CasePersonRole,
  details: PersonDetails,
): Promise<PostcodeFields> {
  if (role === 'victim') return victimPostcode(trx, ctx, referral);
  return addressPostcode(ctx.keyring, details.address);
}

/**
 * Brings the victim's person row (if the referral names her yet) into step with the referral's victim address and
 * refuge answer, as they now stand: her outward code and postcode key follow the address, and are cleared when it
 * is removed or she is in a refuge.
 */
export async function updateVictimPostcode(trx: Tx, ctx: ReferralContext, referral: VictimAddressRow): Promise<void> {
  const victim = await trx
    .selectFrom('case_person')
    .select('person_id')
    .where('case_id', '=', referral.case_id)
    .where('role', '=', 'victim')
    .executeTakeFirst();
  if (!victim) return;
  // Through matchingColumns, so the stored forms are exactly those a person written whole would have.
  const { postcode_outcode, postcode_key } = matchingColumns({
    givenNames: '',
    familyName: '',
    dateOfBirth: null,
    ...(await victimPostcode(trx, ctx, referral)),
  });
  await trx.updateTable('person').set({ postcode_outcode, postcode_key }).where('id', '=', victim.person_id).execute();
}
