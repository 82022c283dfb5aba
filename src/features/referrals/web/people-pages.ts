// Perpetrators, children (unborn included) and other household members: a list with "add another", and one form
// per person. Names and dates of birth stay plain for matching; addresses and other free text are sealed.
import type { FieldErrors } from '../../../platform/http/forms.ts';
import type { CasePersonRole } from '../../../platform/db/schema.ts';
import type { ReferralPerson } from '../people.ts';
import type { PersonDetails } from '../person-details.ts';
import type { ReferralView } from '../queries.ts';
import { CHOICES } from './choices.ts';
import { dateParts, type Field, type FieldData, type FormValues } from './fields.ts';
import { aliasList, checkAliases, defined } from './sections/victim.ts';

export type PeoplePage = {
  slug: string;
  role: Exclude<CasePersonRole, 'victim'>;
  title: string;
  /** "a perpetrator", for "Add a perpetrator" and "Add another perpetrator". */
  one: string;
  /** The yes/no question asked before listing, when the referral may have none. */
  anyQuestion?: { name: 'hasChildren' | 'hasHouseholdMembers'; label: string };
  fields(view: ReferralView): Field[];
  load(person: ReferralPerson, details: PersonDetails): FormValues;
  check(data: FieldData): FieldErrors;
  /** The addPerson / updatePerson input. */
  input(data: FieldData, view: ReferralView): Record<string, unknown>;
  next: string;
};

const names = (who: string): Field[] => [
  { kind: 'text', name: 'givenNames', label: 'Given names', noun: `The ${who}'s given names`, max: 200 },
  { kind: 'text', name: 'familyName', label: 'Family name', noun: `The ${who}'s family name`, max: 200 },
  {
    kind: 'textarea',
    name: 'aliases',
    label: 'Other names they use or have used (optional)',
    noun: 'Other names',
    hint: 'One name on each line',
    max: 4200,
    rows: 3,
  },
];
const dob: Field = {
  kind: 'date',
  name: 'dateOfBirth',
  label: 'Date of birth',
  hint: 'For example, 27 3 1985',
  when: 'past',
};
const age: Field = {
  kind: 'number',
  name: 'approximateAge',
  label: 'If you do not know their date of birth, their approximate age',
  noun: 'Approximate age',
  min: 0,
  max: 120,
  suffix: 'years',
};
const relationship = (label: string): Field => ({
  kind: 'radios',
  name: 'relationship',
  label,
  noun: 'The relationship',
  choices: CHOICES.relationship,
});

function loadNames(person: ReferralPerson): FormValues {
  const a = person.attributes;
  return {
    givenNames: person.givenNames,
    familyName: person.familyName,
    aliases: person.aliases.join('\n'),
    dateOfBirth: dateParts(person.dateOfBirth),
    approximateAge: a.approximateAge === undefined ? '' : String(a.approximateAge),
    relationship: person.relationship ?? '',
  };
}

function checkNames(data: FieldData, who: string, errors: FieldErrors = {}): FieldErrors {
  if (data['givenNames'] === null) errors['givenNames'] = `Enter the ${who}'s given names`;
  if (data['familyName'] === null) errors['familyName'] = `Enter the ${who}'s family name`;
  checkAliases(data, errors);
  return errors;
}

const nameInput = (data: FieldData) => ({
  givenNames: data['givenNames'],
  familyName: data['familyName'],
  aliases: aliasList(data['aliases']!),
  dateOfBirth: data['dateOfBirth'],
  relationship: data['relationship'],
});

const details = (values: Record<string, unknown>) => defined(values);

export const perpetrators: PeoplePage = {
  slug: 'perpetrators',
  role: 'perpetrator',
  title: 'Perpetrators',
  one: 'perpetrator',
  fields: () => [
    ...names('perpetrator'),
    dob,
    age,
    { kind: 'radios', name: 'gender', label: 'Gender', noun: "The perpetrator's gender", choices: CHOICES.gender },
    relationship('Relationship to the victim'),
    {
      kind: 'textarea',
      name: 'address',
      label: 'Address, if known',
      noun: "The perpetrator's address",
      max: 1000,
      rows: 4,
    },
    {
      kind: 'radios',
      name: 'riskToProfessionals',
      label: 'Is the perpetrator a risk to professionals?',
      noun: 'Risk to professionals',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
    {
      kind: 'textarea',
      name: 'riskToProfessionalsDetails',
      label: 'If so, what is the risk? (optional)',
      noun: 'The risk to professionals',
      max: 2000,
      rows: 3,
    },
  ],
  load: (person, sealed) => ({
    ...loadNames(person),
    gender: person.attributes.gender ?? '',
    address: sealed.address ?? '',
    riskToProfessionals: person.attributes.riskToProfessionals ?? '',
    riskToProfessionalsDetails: sealed.riskToProfessionalsDetails ?? '',
  }),
  check: (data) => checkNames(data, 'perpetrator'),
  input: (data) => ({
    role: 'perpetrator',
    ...nameInput(data),
    attributes: defined({
      approximateAge: data['approximateAge'],
      gender: data['gender'],
      riskToProfessionals: data['riskToProfessionals'],
    }),
    details: details({ address: data['address'], riskToProfessionalsDetails: data['riskToProfessionalsDetails'] }),
  }),
  next: 'children',
};

const childName = (person: { givenNames: string; familyName: string }) => `${person.givenNames} ${person.familyName}`;

export const children: PeoplePage = {
  slug: 'children',
  role: 'child',
  title: 'Children',
  one: 'child',
  anyQuestion: {
    name: 'hasChildren',
    label: 'Are there any children in the household, or is the victim pregnant?',
  },
  fields: (view) => [
    {
      kind: 'radios',
      name: 'unborn',
      label: 'Is this an unborn child?',
      noun: 'Whether the child is unborn',
      choices: [
        { value: 'yes', text: 'Yes' },
        { value: 'no', text: 'No' },
      ],
      inline: true,
    },
    { ...names('child')[0]!, hint: 'Leave blank for an unborn child who has no name yet' },
    ...names('child').slice(1),
    dob,
    { kind: 'date', name: 'expectedDate', label: 'For an unborn child: the expected date of birth', when: 'any' },
    relationship('Relationship to the victim'),
    ...view.people
      .filter((p) => p.role === 'perpetrator')
      .map((p): Field => ({
        kind: 'radios',
        name: `perpetrator-${p.id}`,
        label: `Relationship to ${childName(p)}`,
        noun: `The relationship to ${childName(p)}`,
        choices: CHOICES.relationship,
      })),
    { kind: 'text', name: 'school', label: 'School, nursery or college (optional)', noun: 'The school', max: 300 },
    {
      kind: 'radios',
      name: 'inCareOf',
      label: 'In whose care is the child?',
      noun: 'In whose care',
      choices: CHOICES.inCareOf,
    },
    {
      kind: 'textarea',
      name: 'careDetails',
      label: 'Details of their care (optional)',
      noun: 'The details of their care',
      max: 1000,
      rows: 3,
    },
    {
      kind: 'radios',
      name: 'presentAtIncidents',
      label: 'Was the child present at any of the incidents?',
      noun: 'Whether the child was present',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
  ],
  load: (person, sealed) => {
    const a = person.attributes;
    const values: FormValues = {
      ...loadNames(person),
      givenNames: a.unborn && person.givenNames === UNBORN ? '' : person.givenNames,
      unborn: a.unborn === true ? 'yes' : a.unborn === false ? 'no' : '',
      expectedDate: dateParts(a.expectedDate),
      school: sealed.school ?? '',
      inCareOf: a.inCareOf ?? '',
      careDetails: sealed.careDetails ?? '',
      presentAtIncidents: a.presentAtIncidents ?? '',
    };
    for (const [perpetratorId, code] of Object.entries(a.relationshipToPerpetrators ?? {})) {
      values[`perpetrator-${perpetratorId}`] = code;
    }
    return values;
  },
  check: (data) => {
    const errors: FieldErrors = {};
    if (data['unborn'] === 'yes') {
      if (data['familyName'] === null) errors['familyName'] = "Enter the child's family name";
      if (data['expectedDate'] === null) errors['expectedDate-day'] = 'Enter the expected date of birth';
      if (data['dateOfBirth'] !== null && data['dateOfBirth'] !== undefined) {
        errors['dateOfBirth-day'] = 'An unborn child has an expected date, not a date of birth';
      }
      checkAliases(data, errors);
      return errors;
    }
    return checkNames(data, 'child', errors);
  },
  input: (data, view) => {
    const relationships: Record<string, string> = {};
    for (const p of view.people.filter((p) => p.role === 'perpetrator')) {
      const code = data[`perpetrator-${p.id}`];
      if (typeof code === 'string') relationships[p.id] = code;
    }
    const unborn = data['unborn'] === 'yes';
    return {
      role: 'child',
      ...nameInput(data),
      givenNames: unborn && data['givenNames'] === null ? UNBORN : data['givenNames'],
      attributes: defined({
        unborn: data['unborn'] === null ? null : unborn,
        expectedDate: unborn ? data['expectedDate'] : null,
        inCareOf: data['inCareOf'],
        presentAtIncidents: data['presentAtIncidents'],
        relationshipToPerpetrators: Object.keys(relationships).length ? relationships : null,
      }),
      details: details({ school: data['school'], careDetails: data['careDetails'] }),
    };
  },
  next: 'household',
};

/** The given names stored for an unborn child not yet named. */
export const UNBORN = 'Unborn child';

export const household: PeoplePage = {
  slug: 'household',
  role: 'household_member',
  title: 'Other household members at risk',
  one: 'household member',
  anyQuestion: { name: 'hasHouseholdMembers', label: 'Are other adults in the household at risk?' },
  fields: () => [
    ...names('household member'),
    dob,
    age,
    relationship('Relationship to the victim'),
    {
      kind: 'radios',
      name: 'atRisk',
      label: 'Are they at risk from the perpetrator?',
      noun: 'Whether they are at risk',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
    {
      kind: 'textarea',
      name: 'notes',
      label: 'Anything else about them (optional)',
      noun: 'Notes',
      max: 2000,
      rows: 3,
    },
  ],
  load: (person, sealed) => ({
    ...loadNames(person),
    atRisk: person.attributes.atRisk ?? '',
    notes: sealed.notes ?? '',
  }),
  check: (data) => checkNames(data, 'household member'),
  input: (data) => ({
    role: 'household_member',
    ...nameInput(data),
    attributes: defined({ approximateAge: data['approximateAge'], atRisk: data['atRisk'] }),
    details: details({ notes: data['notes'] }),
  }),
  next: 'risk',
};

export const PEOPLE_PAGES = [perpetrators, children, household];
