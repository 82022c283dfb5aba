// Scoring and validating checklist answers. Pure: no database, no clock.

import { CURRENT_CHECKLIST, isAnswer } from './checklist.ts';
import type { ChecklistAnswer, ChecklistAnswers, Checklist, Question, QuestionDetail } from './checklist.ts';

export const SOURCE_MAX_LENGTH = 500;
export const COMMENT_MAX_LENGTH = 2000;
export const DETAIL_TEXT_MAX_LENGTH = 500;

/**
 * The checklist score: how many of the checklist's questions are answered "yes". "No", "don't know", an unanswered
 * question and any id the checklist does not hold (a stray form field, a question from another version) count 0.
 */
export function scoreChecklist(answers: ChecklistAnswers, checklist: Checklist = CURRENT_CHECKLIST): number {
  let score = 0;
  for (const question of checklist.questions) {
    // Object.hasOwn: an id such as 'constructor' must never be read from the prototype.
    if (Object.hasOwn(answers, question.id) && answers[question.id]?.answer === 'yes') score += 1;
  }
  return score;
}

export interface ChecklistError {
  readonly questionId: string;
  /** 'answer', 'source', 'comment' or 'details.<detail id>': what the error summary links to. */
  readonly field: string;
  readonly message: string;
}

export type ChecklistValidation =
  | { readonly ok: true; readonly answers: ChecklistAnswers; readonly score: number }
  | { readonly ok: false; readonly errors: readonly ChecklistError[] };

/**
 * Checks submitted answers (untrusted: any shape) against a checklist. Every question needs yes, no or don't know;
 * free text must be text within its length; details must use the listed options. Errors come in page order with
 * GOV.UK-style messages. On success the answers are normalised: only the checklist's questions, text trimmed,
 * empty text left out, checkbox values in the form's order, and details kept only for a "yes" (the form hides them
 * otherwise, but a browser still posts what was typed before the answer changed).
 */
export function validateChecklistAnswers(
  input: unknown,
  checklist: Checklist = CURRENT_CHECKLIST,
): ChecklistValidation {
  const errors: ChecklistError[] = [];
  const answers: Record<string, ChecklistAnswer> = {};
  const submitted = isRecord(input) ? input : {};

  for (const question of checklist.questions) {
    const raw = Object.hasOwn(submitted, question.id) ? submitted[question.id] : undefined;
    const entry = isRecord(raw) ? raw : {};
    const before = errors.length;
    const error = (field: string, message: string) => errors.push({ questionId: question.id, field, message });
    const n = question.number;

    const answer = entry['answer'];
    if (!isAnswer(answer)) error('answer', `Select yes, no or don't know for question ${n}`);

    const details = answer === 'yes' ? validateDetails(question, entry['details'], error) : undefined;
    const source = text(entry['source'], SOURCE_MAX_LENGTH, 'source', `The source for question ${n}`, error);
    const comment = text(entry['comment'], COMMENT_MAX_LENGTH, 'comment', `The comment for question ${n}`, error);

    if (errors.length === before && isAnswer(answer)) {
      answers[question.id] = {
        answer,
        ...(source === undefined ? {} : { source }),
        ...(comment === undefined ? {} : { comment }),
        ...(details === undefined ? {} : { details }),
      };
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, answers, score: scoreChecklist(answers, checklist) };
}

type Report = (field: string, message: string) => void;

function validateDetails(
  question: Question,
  raw: unknown,
  error: Report,
): Readonly<Record<string, string | readonly string[]>> | undefined {
  const submitted = isRecord(raw) ? raw : {};
  const details: Record<string, string | readonly string[]> = {};
  for (const detail of question.details ?? []) {
    const value = Object.hasOwn(submitted, detail.id) ? submitted[detail.id] : undefined;
    const field = `details.${detail.id}`;
    const checked = detailValue(detail, value, question.number, field, error);
    if (checked !== undefined) details[detail.id] = checked;
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

function detailValue(
  detail: QuestionDetail,
  value: unknown,
  number: number,
  field: string,
  error: Report,
): string | readonly string[] | undefined {
  switch (detail.kind) {
    case 'text':
      return text(value, DETAIL_TEXT_MAX_LENGTH, field, `The answer to "${detail.label}" (question ${number})`, error);
    case 'radios': {
      if (value === undefined || value === '') return undefined;
      if (typeof value === 'string' && detail.options.some((option) => option.value === value)) return value;
      error(field, `Select one of the options for "${detail.label}" (question ${number})`);
      return undefined;
    }
    case 'checkboxes': {
      // A form posts one ticked box as a string and several as an array.
      const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      const known = new Set(detail.options.map((option) => option.value));
      if (!values.every((v) => typeof v === 'string' && (v === '' || known.has(v)))) {
        error(field, `Select only the listed options for "${detail.label}" (question ${number})`);
        return undefined;
      }
      const ticked = detail.options.map((option) => option.value).filter((v) => values.includes(v));
      return ticked.length > 0 ? ticked : undefined;
    }
  }
}

function text(value: unknown, max: number, field: string, name: string, error: Report): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    error(field, `${name} must be text`);
    return undefined;
  }
  const trimmed = value.trim();
  // Characters as people count them (code points), not UTF-16 units.
  if ([...trimmed].length > max) {
    error(field, `${name} must be ${withCommas(max)} characters or less`);
    return undefined;
  }
  return trimmed === '' ? undefined : trimmed;
}

function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
