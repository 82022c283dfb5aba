import { saveAnswers } from '../../drafts.ts';
import { CHOICES } from '../choices.ts';
import { textOf } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** What happened, and any MARAC history the referrer knows of. */
export const narrative: QuestionPage = {
  slug: 'narrative',
  title: 'What happened',
  fields: () => [
    {
      kind: 'textarea',
      name: 'narrative',
      label: 'Describe what happened',
      noun: 'What happened',
      hint: 'The most recent incident and the history of abuse, in your own words.',
      max: 20000,
      rows: 8,
    },
    {
      kind: 'text',
      name: 'incidentWhen',
      label: 'When did the most recent incident happen?',
      noun: 'When it happened',
      max: 500,
    },
    { kind: 'text', name: 'incidentWhere', label: 'Where did it happen?', noun: 'Where it happened', max: 500 },
    { kind: 'textarea', name: 'injuries', label: 'Injuries (optional)', noun: 'Injuries', max: 2000, rows: 3 },
    {
      kind: 'radios',
      name: 'reportedToPolice',
      label: 'Was it reported to the police?',
      noun: 'Whether it was reported to the police',
      choices: CHOICES.yesNoDontKnow,
      inline: true,
    },
    {
      kind: 'radios',
      name: 'previousMarac',
      label: 'Do you know of a previous MARAC referral for this victim?',
      noun: 'Previous MARAC referrals',
      choices: CHOICES.previousMarac,
    },
    {
      kind: 'textarea',
      name: 'previousMaracDetails',
      label: 'If so, what do you know about it? (optional)',
      noun: 'The previous referral',
      hint: 'For example which MARAC and roughly when.',
      max: 2000,
      rows: 3,
    },
  ],
  load({ view }) {
    const d = view.details;
    return {
      narrative: view.narrative ?? '',
      incidentWhen: d.incidentWhen ?? '',
      incidentWhere: d.incidentWhere ?? '',
      injuries: d.injuries ?? '',
      reportedToPolice: view.answers.reportedToPolice ?? '',
      previousMarac: view.answers.previousMarac ?? '',
      previousMaracDetails: d.previousMaracDetails ?? '',
    };
  },
  async save(trx, ctx, { view }, data) {
    await saveAnswers(trx, ctx, view.id, {
      narrative: textOf(data['narrative']!),
      reportedToPolice: data['reportedToPolice'],
      previousMarac: data['previousMarac'],
      details: {
        incidentWhen: textOf(data['incidentWhen']!),
        incidentWhere: textOf(data['incidentWhere']!),
        injuries: textOf(data['injuries']!),
        previousMaracDetails: textOf(data['previousMaracDetails']!),
      },
    });
  },
  next: () => 'check',
};
