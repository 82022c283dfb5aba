import type { FieldErrors } from '../../../../platform/http/forms.ts';
import { saveAnswers } from '../../drafts.ts';
import { CHOICES } from '../choices.ts';
import { textOf } from '../fields.ts';
import type { QuestionPage } from '../page.ts';

/** Which risk assessment the referral rests on: the checklist, a police DARA, or another named tool. */
export const risk: QuestionPage = {
  slug: 'risk',
  title: 'Risk assessment',
  intro:
    'Complete the risk checklist with the victim, having checked it is safe to talk. Police may give a DARA result instead.',
  fields: () => [
    {
      kind: 'radios',
      name: 'assessmentTool',
      label: 'Which risk assessment did you use?',
      noun: 'The risk assessment',
      choices: CHOICES.assessmentTool,
    },
    {
      kind: 'radios',
      name: 'assessmentResult',
      label: 'For a DARA or another tool: its result',
      noun: 'The result',
      choices: CHOICES.riskLevel,
      inline: true,
    },
    { kind: 'text', name: 'otherToolName', label: 'For another tool: its name', noun: "The tool's name", max: 200 },
    {
      kind: 'text',
      name: 'otherToolVersion',
      label: 'For another tool: its version (optional)',
      noun: "The tool's version",
      max: 100,
      width: 20,
    },
  ],
  load({ view }) {
    return {
      assessmentTool: view.answers.assessmentTool ?? (view.checklist ? 'dash_ric' : ''),
      assessmentResult: view.answers.assessmentResult ?? '',
      otherToolName: view.details.otherToolName ?? '',
      otherToolVersion: view.details.otherToolVersion ?? '',
    };
  },
  check(data) {
    const errors: FieldErrors = {};
    const tool = data['assessmentTool'];
    if ((tool === 'dara' || tool === 'other') && data['assessmentResult'] === null) {
      errors['assessmentResult'] = 'Select the result of the risk assessment: high, medium or standard';
    }
    if (tool === 'other' && data['otherToolName'] === null)
      errors['otherToolName'] = 'Enter the name of the risk assessment tool';
    return errors;
  },
  async save(trx, ctx, { view }, data) {
    const tool = textOf(data['assessmentTool']!);
    const graded = tool === 'dara' || tool === 'other';
    await saveAnswers(trx, ctx, view.id, {
      assessmentTool: tool,
      assessmentResult: graded ? textOf(data['assessmentResult']!) : null,
      details: {
        otherToolName: tool === 'other' ? textOf(data['otherToolName']!) : null,
        otherToolVersion: tool === 'other' ? textOf(data['otherToolVersion']!) : null,
      },
    });
  },
  next: (data) => (data['assessmentTool'] === 'dash_ric' ? 'risk/checklist/1' : 'criteria'),
};
