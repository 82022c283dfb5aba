// The 24-question checklist as question pages: a few questions a page, each Yes / No / Don't know with its
// follow-ups, the source when it was not the victim, and a comment.
import type { FieldErrors } from '../../../platform/http/forms.ts';
import type { Checklist, ChecklistAnswer, ChecklistAnswers, Question } from '../rules/checklist.ts';
import { COMMENT_MAX_LENGTH, DETAIL_TEXT_MAX_LENGTH, SOURCE_MAX_LENGTH } from '../rules/scoring.ts';
import { YES_NO_DONT_KNOW, type Field, type FieldData, type FormValues } from './fields.ts';

export const QUESTIONS_PER_PAGE = 6;

export const pageCount = (checklist: Checklist) => Math.ceil(checklist.questions.length / QUESTIONS_PER_PAGE);

export function pageQuestions(checklist: Checklist, page: number): readonly Question[] {
  return checklist.questions.slice((page - 1) * QUESTIONS_PER_PAGE, page * QUESTIONS_PER_PAGE);
}

/** The fields of one question, in the order the page shows them. */
export function questionFields(q: Question): Field[] {
  const n = q.number;
  return [
    {
      kind: 'radios',
      name: `${q.id}-answer`,
      label: `${n}. ${q.text}`,
      noun: `Question ${n}`,
      ...(q.hint ? { hint: q.hint } : {}),
      choices: YES_NO_DONT_KNOW,
      inline: true,
    },
    ...(q.details ?? []).map((d): Field => {
      const name = `${q.id}-${d.id}`;
      const noun = `The answer to “${d.label}” (question ${n})`;
      if (d.kind === 'text')
        return { kind: 'text', name, label: `If yes: ${d.label}`, noun, max: DETAIL_TEXT_MAX_LENGTH };
      return { kind: d.kind, name, label: `If yes: ${d.label}`, noun, choices: [...d.options] };
    }),
    {
      kind: 'text',
      name: `${q.id}-source`,
      label: 'Source, if not the victim (optional)',
      noun: `The source for question ${n}`,
      max: SOURCE_MAX_LENGTH,
    },
    {
      kind: 'textarea',
      name: `${q.id}-comment`,
      label: 'Comment (optional)',
      noun: `The comment for question ${n}`,
      max: COMMENT_MAX_LENGTH,
      rows: 2,
    },
  ];
}

export function loadQuestion(q: Question, answer: ChecklistAnswer | undefined): FormValues {
  const values: FormValues = {
    [`${q.id}-answer`]: answer?.answer ?? '',
    [`${q.id}-source`]: answer?.source ?? '',
    [`${q.id}-comment`]: answer?.comment ?? '',
  };
  for (const d of q.details ?? []) {
    const value = answer?.details?.[d.id];
    values[`${q.id}-${d.id}`] =
      d.kind === 'checkboxes'
        ? typeof value === 'string' || value === undefined
          ? []
          : [...value]
        : String(value ?? '');
  }
  return values;
}

/** Free text or follow-ups given without an answer would be lost: ask for the answer. */
export function checkQuestion(q: Question, data: FieldData): FieldErrors {
  if (data[`${q.id}-answer`] !== null) return {};
  const given = Object.entries(data).some(
    ([key, value]) =>
      key.startsWith(`${q.id}-`) &&
      key !== `${q.id}-answer` &&
      value !== null &&
      !(Array.isArray(value) && !value.length),
  );
  return given ? { [`${q.id}-answer`]: `Select yes, no or don't know for question ${q.number}` } : {};
}

/** The page's answers laid over the saved ones; a question left unanswered is removed. */
export function mergeAnswers(
  saved: ChecklistAnswers,
  questions: readonly Question[],
  data: FieldData,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...saved };
  for (const q of questions) {
    const answer = data[`${q.id}-answer`];
    if (typeof answer !== 'string') {
      delete merged[q.id];
      continue;
    }
    const details: Record<string, string | string[]> = {};
    for (const d of q.details ?? []) {
      const value = data[`${q.id}-${d.id}`];
      if (typeof value === 'string' || (Array.isArray(value) && value.length)) details[d.id] = value;
    }
    const source = data[`${q.id}-source`];
    const comment = data[`${q.id}-comment`];
    merged[q.id] = {
      answer,
      ...(typeof source === 'string' ? { source } : {}),
      ...(typeof comment === 'string' ? { comment } : {}),
      ...(Object.keys(details).length ? { details } : {}),
    };
  }
  return merged;
}
