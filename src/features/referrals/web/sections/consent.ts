import type { FieldErrors } from '../../../../platform/http/forms.ts';
import { saveAnswers } from '../../drafts.ts';
import { CHOICES } from '../choices.ts';
import { textOf, toBoolean, yesNo, YES_NO } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** Whether the victim knows and agrees, the lawful basis when not, and the victim's own voice. */
export const consent: QuestionPage = {
  slug: 'consent',
  title: 'Consent and the victim’s wishes',
  fields: () => [
    {
      kind: 'radios',
      name: 'victimAware',
      label: 'Is the victim aware of this referral?',
      noun: 'Whether the victim is aware',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'textarea',
      name: 'notAwareReason',
      label: 'If not, why not?',
      noun: 'Why the victim is not aware',
      max: 2000,
      rows: 3,
    },
    {
      kind: 'radios',
      name: 'consentGiven',
      label: 'Has the victim consented to information being shared?',
      noun: 'Whether the victim consented',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'radios',
      name: 'lawfulBasis',
      label: 'If not, the lawful basis for sharing without consent',
      noun: 'The lawful basis',
      choices: CHOICES.lawfulBasis,
    },
    {
      kind: 'textarea',
      name: 'lawfulBasisReason',
      label: 'Why are you sharing without consent?',
      noun: 'Why you are sharing without consent',
      max: 2000,
      rows: 3,
    },
    {
      kind: 'textarea',
      name: 'fears',
      label: 'Who is the victim afraid of?',
      noun: 'Who the victim is afraid of',
      max: 2000,
      rows: 3,
    },
    {
      kind: 'textarea',
      name: 'safeToTalkTo',
      label: 'Who is it safe to talk to about the victim?',
      noun: 'Who is safe to talk to',
      max: 2000,
      rows: 3,
    },
    {
      kind: 'textarea',
      name: 'notSafeToTalkTo',
      label: 'Who is it not safe to talk to?',
      noun: 'Who is not safe to talk to',
      max: 2000,
      rows: 3,
    },
    {
      kind: 'textarea',
      name: 'wants',
      label: 'What does the victim want from the MARAC?',
      noun: 'What the victim wants',
      hint: "Use the victim's own words where you can.",
      max: 2000,
      rows: 4,
    },
    {
      kind: 'radios',
      name: 'wantsToSpeakToPolice',
      label: 'Does the victim want to speak to the police about the offences they disclosed?',
      noun: 'Whether the victim wants to speak to the police',
      choices: CHOICES.wantsToSpeakToPolice,
      inline: true,
    },
  ],
  load({ view }) {
    const d = view.details;
    return {
      victimAware: yesNo(view.answers.victimAware),
      notAwareReason: d.notAwareReason ?? '',
      consentGiven: yesNo(view.answers.consentGiven),
      lawfulBasis: view.answers.lawfulBasis ?? '',
      lawfulBasisReason: d.lawfulBasisReason ?? '',
      fears: d.fears ?? '',
      safeToTalkTo: d.safeToTalkTo ?? '',
      notSafeToTalkTo: d.notSafeToTalkTo ?? '',
      wants: d.wants ?? '',
      wantsToSpeakToPolice: view.answers.wantsToSpeakToPolice ?? '',
    };
  },
  check(data) {
    const errors: FieldErrors = {};
    if (data['victimAware'] === 'no' && data['notAwareReason'] === null) {
      errors['notAwareReason'] = 'Enter why the victim is not aware of the referral';
    }
    if (data['consentGiven'] === 'no') {
      if (data['lawfulBasis'] === null) errors['lawfulBasis'] = 'Select the lawful basis for sharing without consent';
      if (data['lawfulBasisReason'] === null) errors['lawfulBasisReason'] = 'Enter why you are sharing without consent';
    }
    return errors;
  },
  async save(trx, ctx, { view }, data) {
    await saveAnswers(trx, ctx, view.id, {
      victimAware: toBoolean(data['victimAware']!),
      consentGiven: toBoolean(data['consentGiven']!),
      lawfulBasis: textOf(data['lawfulBasis']!),
      wantsToSpeakToPolice: textOf(data['wantsToSpeakToPolice']!),
      details: {
        notAwareReason: textOf(data['notAwareReason']!),
        lawfulBasisReason: textOf(data['lawfulBasisReason']!),
        fears: textOf(data['fears']!),
        safeToTalkTo: textOf(data['safeToTalkTo']!),
        notSafeToTalkTo: textOf(data['notSafeToTalkTo']!),
        wants: textOf(data['wants']!),
      },
    });
  },
  next: () => 'perpetrators',
};
