// The words shown for each stored code, for question pages and the summary.
import type { Choice } from './fields.ts';

const choices = (labels: Record<string, string>): Choice[] =>
  Object.entries(labels).map(([value, text]) => ({ value, text }));

export const LABELS = {
  gender: { female: 'Female', male: 'Male', non_binary: 'Non-binary', other: 'Another gender', not_known: 'Not known' },
  ethnicity: {
    white: 'White',
    mixed: 'Mixed or multiple ethnic groups',
    asian: 'Asian or Asian British',
    black: 'Black, Black British, Caribbean or African',
    other: 'Another ethnic group',
    not_known: 'Not known',
  },
  sexualOrientation: {
    heterosexual: 'Heterosexual or straight',
    gay_or_lesbian: 'Gay or lesbian',
    bisexual: 'Bisexual',
    other: 'Another sexual orientation',
    not_known: 'Not known',
  },
  yesNoDontKnow: { yes: 'Yes', no: 'No', dont_know: "Don't know" },
  relationship: {
    partner: 'Partner',
    ex_partner: 'Ex-partner',
    parent: 'Parent',
    child: 'Child',
    stepchild: 'Stepchild',
    sibling: 'Brother or sister',
    other_family: 'Other family member',
    other: 'Other',
  },
  inCareOf: {
    victim: 'The victim',
    perpetrator: 'The perpetrator',
    both: 'The victim and the perpetrator',
    someone_else: 'Someone else',
  },
  lawfulBasis: {
    vital_interests: 'Vital interests: to protect someone’s life',
    public_task: 'Public task: to prevent or detect crime or protect people from harm',
    safeguarding: 'Safeguarding of children and individuals at risk (DPA 2018 Schedule 1 paragraph 18)',
    crime_and_disorder_act: 'Crime and Disorder Act 1998 section 115',
  },
  wantsToSpeakToPolice: { yes: 'Yes', no: 'No', not_asked: 'Not asked' },
  previousMarac: {
    no: 'No',
    here: 'Yes, at this MARAC',
    elsewhere: 'Yes, at another MARAC',
    dont_know: "Don't know",
  },
  safeMethods: {
    phone_call: 'Phone call',
    text_message: 'Text message',
    email: 'Email',
    in_person: 'In person',
    via_idva: 'Only through the IDVA service',
  },
  assessmentTool: {
    dash_ric: 'The risk checklist (SafeLives Dash RIC, 24 questions)',
    dara: 'A police DARA',
    other: 'Another risk assessment tool',
  },
  riskLevel: { high: 'High', medium: 'Medium', standard: 'Standard' },
} as const;

export type LabelSet = keyof typeof LABELS;

export const CHOICES = Object.fromEntries(
  Object.entries(LABELS).map(([key, labels]) => [key, choices(labels)]),
) as Record<LabelSet, Choice[]>;

/** The words for a stored code, or '' when none. */
export function label(set: LabelSet, code: unknown): string {
  const labels = LABELS[set] as Record<string, string>;
  return typeof code === 'string' && Object.hasOwn(labels, code) ? labels[code]! : '';
}
