import { saveAnswers } from '../../drafts.ts';
import { dateParts, textOf, toBoolean, yesNo, YES_NO, type Field } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** The referrer: name and agency come from their account; role, phone, attendance and manager sign-off. */
export const aboutYou: QuestionPage = {
  slug: 'about-you',
  title: 'About you',
  intro: 'Your name and agency are taken from your account.',
  fields({ rules }) {
    const fields: Field[] = [
      {
        kind: 'text',
        name: 'referrerJobTitle',
        label: 'Your role or job title',
        noun: 'Your role or job title',
        max: 200,
      },
      {
        kind: 'text',
        name: 'referrerPhone',
        label: 'Your work phone number',
        noun: 'Your work phone number',
        type: 'tel',
        autocomplete: 'tel',
        width: 20,
        max: 40,
      },
      {
        kind: 'radios',
        name: 'referrerWillAttend',
        label: 'Will you attend the MARAC meeting to present this referral?',
        noun: 'Whether you will attend',
        choices: YES_NO,
        inline: true,
      },
    ];
    if (rules.requiresManagerSignOff) {
      fields.push(
        {
          kind: 'text',
          name: 'managerName',
          label: "Your line manager's name",
          hint: 'This area requires your line manager to sign the referral off before you submit it.',
          max: 200,
        },
        { kind: 'date', name: 'managerSignOffDate', label: 'Date your line manager signed it off', when: 'past' },
      );
    }
    return fields;
  },
  load({ view }) {
    return {
      referrerJobTitle: view.details.referrerJobTitle ?? '',
      referrerPhone: view.details.referrerPhone ?? '',
      referrerWillAttend: yesNo(view.answers.referrerWillAttend),
      managerName: view.details.managerName ?? '',
      managerSignOffDate: dateParts(view.answers.managerSignOffDate),
    };
  },
  async save(trx, ctx, { view, rules }, data) {
    await saveAnswers(trx, ctx, view.id, {
      referrerWillAttend: toBoolean(data['referrerWillAttend']!),
      ...(rules.requiresManagerSignOff ? { managerSignOffDate: textOf(data['managerSignOffDate']!) } : {}),
      details: {
        referrerJobTitle: textOf(data['referrerJobTitle']!),
        referrerPhone: textOf(data['referrerPhone']!),
        ...(rules.requiresManagerSignOff ? { managerName: textOf(data['managerName']!) } : {}),
      },
    });
  },
  next: () => 'victim',
};
