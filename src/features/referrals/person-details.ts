// What a referral records about each person beyond their names and date of birth: codes in `person.attributes`
// (plain jsonb), and free text or anything that could locate them sealed in `person.details`. Both strict.
import { z } from 'zod';
import { isoDate, YES_NO_UNKNOWN } from './answers.ts';

const text = (max: number) => z.string().max(max);

export const GENDERS = ['female', 'male', 'non_binary', 'other', 'not_known'] as const;
export const ETHNICITIES = ['white', 'mixed', 'asian', 'black', 'other', 'not_known'] as const;
export const SEXUAL_ORIENTATIONS = ['heterosexual', 'gay_or_lesbian', 'bisexual', 'other', 'not_known'] as const;
export const IN_CARE_OF = ['victim', 'perpetrator', 'both', 'someone_else'] as const;
/** A person's relationship to the victim (case_person.relationship), or a child's to a perpetrator. */
export const RELATIONSHIPS = [
  'partner',
  'ex_partner',
  'parent',
  'child',
  'stepchild',
  'sibling',
  'other_family',
  'other',
] as const;

/** Codes, yes/no, dates and counts only. */
export const personAttributesSchema = z.strictObject({
  approximateAge: z.number().int().min(0).max(120).optional(),
  gender: z.enum(GENDERS).optional(),
  ethnicity: z.enum(ETHNICITIES).optional(),
  disability: z.enum(YES_NO_UNKNOWN).optional(),
  sexualOrientation: z.enum(SEXUAL_ORIENTATIONS).optional(),
  pregnant: z.enum(YES_NO_UNKNOWN).optional(),
  interpreterNeeded: z.boolean().optional(),
  /** An unborn child: expectedDate in place of a date of birth. */
  unborn: z.boolean().optional(),
  expectedDate: isoDate.optional(),
  presentAtIncidents: z.enum(YES_NO_UNKNOWN).optional(),
  inCareOf: z.enum(IN_CARE_OF).optional(),
  /** A child's relationship to each perpetrator, keyed by the perpetrator's person id. */
  relationshipToPerpetrators: z.record(z.uuid(), z.enum(RELATIONSHIPS)).optional(),
  riskToProfessionals: z.enum(YES_NO_UNKNOWN).optional(),
  atRisk: z.enum(YES_NO_UNKNOWN).optional(),
});
export type PersonAttributes = z.infer<typeof personAttributesSchema>;

/** Sealed under the case's data key, bound to the person's row. */
export const personDetailsSchema = z.strictObject({
  address: text(1000).optional(),
  school: text(300).optional(),
  careDetails: text(1000).optional(),
  riskToProfessionalsDetails: text(2000).optional(),
  notes: text(2000).optional(),
});
export type PersonDetails = z.infer<typeof personDetailsSchema>;
