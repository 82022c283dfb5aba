import type { FieldErrors } from '../../../../platform/http/forms.ts';
import { saveAnswers } from '../../drafts.ts';
import { addPerson, updatePerson } from '../../people.ts';
import { CHOICES } from '../choices.ts';
import { dateParts, textOf, toBoolean, yesNo, YES_NO, type FieldData } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** The names a person goes by, one a line, as stored. */
export function aliasList(text: FieldData[string]): string[] {
  return typeof text === 'string'
    ? text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    : [];
}

/** Checks the aliases box: up to 20 names, each up to 200 characters. */
export function checkAliases(data: FieldData, errors: FieldErrors) {
  const aliases = aliasList(data['aliases']!);
  if (aliases.length > 20) errors['aliases'] = 'Enter 20 other names or fewer';
  else if (aliases.some((alias) => alias.length > 200))
    errors['aliases'] = 'Each other name must be 200 characters or fewer';
}

export const victim: QuestionPage = {
  slug: 'victim',
  title: 'The victim',
  fields: () => [
    { kind: 'text', name: 'givenNames', label: 'Given names', noun: "The victim's given names", max: 200 },
    { kind: 'text', name: 'familyName', label: 'Family name', noun: "The victim's family name", max: 200 },
    {
      kind: 'textarea',
      name: 'aliases',
      label: 'Other names they use or have used (optional)',
      noun: 'Other names',
      hint: 'One name on each line',
      max: 4200,
      rows: 3,
    },
    { kind: 'date', name: 'dateOfBirth', label: 'Date of birth', hint: 'For example, 27 3 1990', when: 'past' },
    {
      kind: 'number',
      name: 'approximateAge',
      label: 'If you do not know their date of birth, their approximate age',
      noun: 'Approximate age',
      min: 0,
      max: 120,
      suffix: 'years',
    },
    { kind: 'radios', name: 'gender', label: 'Gender', noun: "The victim's gender", choices: CHOICES.gender },
    {
      kind: 'radios',
      name: 'ethnicity',
      label: 'Ethnicity',
      noun: "The victim's ethnicity",
      choices: CHOICES.ethnicity,
    },
    {
      kind: 'radios',
      name: 'disability',
      label: 'Does the victim have a disability?',
      noun: 'Disability',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
    {
      kind: 'radios',
      name: 'sexualOrientation',
      label: 'Sexual orientation',
      noun: "The victim's sexual orientation",
      choices: CHOICES.sexualOrientation,
    },
    {
      kind: 'radios',
      name: 'pregnant',
      label: 'Is the victim pregnant?',
      noun: 'Pregnancy',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
    { kind: 'text', name: 'firstLanguage', label: 'First language', noun: 'First language', max: 100, width: 20 },
    {
      kind: 'radios',
      name: 'interpreterNeeded',
      label: 'Does the victim need an interpreter?',
      noun: 'Whether an interpreter is needed',
      choices: YES_NO,
      inline: true,
    },
  ],
  load({ view }) {
    const person = view.people.find((p) => p.role === 'victim');
    const a = person?.attributes ?? {};
    return {
      givenNames: person?.givenNames ?? '',
      familyName: person?.familyName ?? '',
      aliases: person?.aliases.join('\n') ?? '',
      dateOfBirth: dateParts(person?.dateOfBirth),
      approximateAge: a.approximateAge === undefined ? '' : String(a.approximateAge),
      gender: a.gender ?? '',
      ethnicity: a.ethnicity ?? '',
      disability: a.disability ?? '',
      sexualOrientation: a.sexualOrientation ?? '',
      pregnant: a.pregnant ?? '',
      firstLanguage: view.details.firstLanguage ?? '',
      interpreterNeeded: yesNo(view.answers.interpreterNeeded),
    };
  },
  check(data) {
    const errors: FieldErrors = {};
    if (data['givenNames'] === null) errors['givenNames'] = "Enter the victim's given names";
    if (data['familyName'] === null) errors['familyName'] = "Enter the victim's family name";
    checkAliases(data, errors);
    return errors;
  },
  async save(trx, ctx, { view }, data) {
    const existing = view.people.find((p) => p.role === 'victim');
    const person = {
      role: 'victim',
      givenNames: data['givenNames'],
      familyName: data['familyName'],
      aliases: aliasList(data['aliases']!),
      dateOfBirth: data['dateOfBirth'],
      attributes: defined({
        approximateAge: data['approximateAge'],
        gender: data['gender'],
        ethnicity: data['ethnicity'],
        disability: data['disability'],
        sexualOrientation: data['sexualOrientation'],
        pregnant: data['pregnant'],
      }),
      details: existing ? (view.personDetails[existing.id] ?? {}) : {},
    };
    if (existing) await updatePerson(trx, ctx, view.id, existing.id, person);
    else await addPerson(trx, ctx, view.id, person);
    await saveAnswers(trx, ctx, view.id, {
      interpreterNeeded: toBoolean(data['interpreterNeeded']!),
      details: { firstLanguage: textOf(data['firstLanguage']!) },
    });
  },
  next: () => 'safe-contact',
};

/** The entries that have a value: attributes leave out what was not answered. */
export function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
}
