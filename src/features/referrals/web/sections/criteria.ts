import type { FieldErrors } from '../../../../platform/http/forms.ts';
import { saveAnswers } from '../../drafts.ts';
import { textOf, toBoolean, yesNo, YES_NO } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** The criteria the referrer can speak to: incidents in the window, and professional judgement with its reason. */
export const criteria: QuestionPage = {
  slug: 'criteria',
  title: 'Referral criteria',
  fields: ({ rules }) => [
    {
      kind: 'number',
      name: 'recentIncidents',
      label: `How many incidents have been reported in the past ${rules.settings.escalationWindowMonths} months?`,
      noun: 'The number of incidents',
      hint: `Include incidents not reported to the police. ${rules.settings.escalationIncidentThreshold} or more meets the potential escalation criterion.`,
      min: 0,
      max: 1000,
    },
    {
      kind: 'radios',
      name: 'professionalJudgement',
      label: 'Are you referring on professional judgement?',
      noun: 'Whether you are referring on professional judgement',
      hint: 'For example strangulation, stalking, threats to kill, honour-based abuse or the victim’s own fear, whatever the score.',
      choices: YES_NO,
      inline: true,
    },
    {
      kind: 'textarea',
      name: 'professionalJudgementRationale',
      label: 'If so, why?',
      noun: 'Why you are referring on professional judgement',
      hint: `At least ${rules.settings.professionalJudgementMinRationaleLength} characters.`,
      max: 5000,
      rows: 5,
    },
  ],
  load({ view }) {
    return {
      recentIncidents: view.answers.recentIncidents === undefined ? '' : String(view.answers.recentIncidents),
      professionalJudgement: yesNo(view.answers.professionalJudgement),
      professionalJudgementRationale: view.professionalJudgementRationale ?? '',
    };
  },
  check(data, { rules }) {
    const errors: FieldErrors = {};
    if (data['professionalJudgement'] === 'yes') {
      const rationale = textOf(data['professionalJudgementRationale']!) ?? '';
      const min = rules.settings.professionalJudgementMinRationaleLength;
      if (rationale === '') {
        errors['professionalJudgementRationale'] = 'Enter why you are referring on professional judgement';
      } else if ([...rationale].length < min) {
        errors['professionalJudgementRationale'] =
          `Why you are referring on professional judgement must be ${min} characters or more`;
      }
    }
    return errors;
  },
  async save(trx, ctx, { view }, data) {
    await saveAnswers(trx, ctx, view.id, {
      recentIncidents: data['recentIncidents'],
      professionalJudgement: toBoolean(data['professionalJudgement']!),
      professionalJudgementRationale:
        data['professionalJudgement'] === 'yes' ? textOf(data['professionalJudgementRationale']!) : null,
    });
  },
  next: () => 'narrative',
};
