// Question-page fields as data: each page lists its fields, this file validates what a browser posts against them
// (every error at once, in page order, GOV.UK wording) and gives back what was typed, to show again beside errors.
import { z } from 'zod';
import type { FieldErrors } from '../../../platform/http/forms.ts';
import { daysInMonth } from '../rules/dates.ts';

export type Choice = { value: string; text: string; hint?: string };

type Base = {
  name: string;
  label: string;
  hint?: string;
  /** How error messages name the field when the label is a question: "Your job title". */
  noun?: string;
};
export type Field =
  | (Base & { kind: 'text'; max: number; width?: 10 | 20 | 30; type?: 'tel' | 'email'; autocomplete?: string })
  | (Base & { kind: 'textarea'; max: number; rows?: number })
  | (Base & { kind: 'radios'; choices: Choice[]; inline?: boolean })
  | (Base & { kind: 'checkboxes'; choices: Choice[] })
  | (Base & { kind: 'date'; when: 'past' | 'future' | 'any' })
  | (Base & { kind: 'number'; min: number; max: number; suffix?: string });

export type DateParts = { day: string; month: string; year: string };
export type FormValue = string | string[] | DateParts;
export type FormValues = Record<string, FormValue>;
/** A valid answer: text (trimmed), a choice, ticked choices, a 'YYYY-MM-DD' date or a number; null when left empty. */
export type FieldData = Record<string, string | string[] | number | null>;

export type ReadResult = { values: FormValues; data: FieldData; errors: FieldErrors };

/** Names the page's own form machinery sends beside the fields. */
const FORM_EXTRAS = new Set(['_csrf', 'action', 'submissionKey']);

/**
 * Reads a posted form against the page's fields. Every field is optional here (what must be answered before
 * submitting is checked on "Check your answers"); what is given must be valid. Unknown fields are refused.
 */
export function readForm(fields: readonly Field[], body: unknown, today: string): ReadResult {
  const raw = isRecord(body) ? body : {};
  const values: FormValues = {};
  const data: FieldData = {};
  const errors: FieldErrors = {};
  const known = new Set<string>(FORM_EXTRAS);
  for (const field of fields) {
    if (field.kind === 'date') {
      for (const part of ['day', 'month', 'year']) known.add(`${field.name}-${part}`);
    } else known.add(field.name);
  }
  for (const field of fields) {
    const result = readField(field, raw, today);
    values[field.name] = result.value;
    if (result.error)
      errors[field.kind === 'date' ? `${field.name}-${result.part ?? 'day'}` : field.name] = result.error;
    else data[field.name] = result.data;
  }
  if (Object.keys(raw).some((key) => !known.has(key))) {
    errors['form'] = 'The form could not be understood. Go back, refresh the page and try again';
  }
  return { values, data, errors };
}

type FieldResult = { value: FormValue; data: FieldData[string]; error?: string; part?: string };

function readField(field: Field, raw: Record<string, unknown>, today: string): FieldResult {
  const name = field.noun ?? field.label;
  switch (field.kind) {
    case 'text':
    case 'textarea': {
      const value = str(raw[field.name]);
      const parsed = z
        .string()
        .trim()
        .max(field.max, `${name} must be ${field.max} characters or fewer`)
        .safeParse(value);
      if (!parsed.success) return { value, data: null, error: parsed.error.issues[0]!.message };
      return { value, data: parsed.data === '' ? null : parsed.data };
    }
    case 'radios': {
      const value = str(raw[field.name]);
      if (value === '') return { value, data: null };
      const parsed = z.enum(field.choices.map((c) => c.value) as [string, ...string[]]).safeParse(value);
      if (!parsed.success) return { value: '', data: null, error: `Select one of the options for ${lower(name)}` };
      return { value, data: parsed.data };
    }
    case 'checkboxes': {
      const given = raw[field.name];
      const list = (given === undefined ? [] : Array.isArray(given) ? given : [given]).map(str).filter(Boolean);
      const allowed = field.choices.map((c) => c.value);
      if (!list.every((v) => allowed.includes(v))) {
        return {
          value: list.filter((v) => allowed.includes(v)),
          data: null,
          error: `Select only the listed options for ${lower(name)}`,
        };
      }
      return { value: list, data: allowed.filter((v) => list.includes(v)) };
    }
    case 'number': {
      const value = str(raw[field.name]).trim();
      if (value === '') return { value, data: null };
      if (!/^\d+$/.test(value)) return { value, data: null, error: `${name} must be a whole number, like 3` };
      const number = Number(value);
      if (number < field.min || number > field.max) {
        return { value, data: null, error: `${name} must be between ${field.min} and ${field.max}` };
      }
      return { value, data: number };
    }
    case 'date':
      return readDate(field, name, raw, today);
  }
}

function readDate(
  field: Field & { kind: 'date' },
  name: string,
  raw: Record<string, unknown>,
  today: string,
): FieldResult {
  const parts: DateParts = {
    day: str(raw[`${field.name}-day`]).trim(),
    month: str(raw[`${field.name}-month`]).trim(),
    year: str(raw[`${field.name}-year`]).trim(),
  };
  const fail = (error: string, part = 'day') => ({ value: parts, data: null, error, part });
  if (!parts.day && !parts.month && !parts.year) return { value: parts, data: null };
  const missing = (['day', 'month', 'year'] as const).filter((p) => !parts[p]);
  if (missing.length > 0) return fail(`${name} must include a ${missing.join(' and a ')}`, missing[0]);
  for (const part of ['day', 'month', 'year'] as const) {
    if (!/^\d+$/.test(parts[part])) return fail(`${name} must be a real date`, part);
  }
  const day = Number(parts.day);
  const month = Number(parts.month);
  const year = Number(parts.year);
  if (parts.year.length !== 4) return fail(`The year must include 4 numbers`, 'year');
  if (month < 1 || month > 12) return fail(`${name} must be a real date`, 'month');
  if (day < 1 || day > daysInMonth(year, month)) return fail(`${name} must be a real date`, 'day');
  if (year < 1900) return fail(`${name} must be after 1900`, 'year');
  const iso = `${parts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (field.when === 'past' && iso > today) return fail(`${name} must be today or in the past`);
  if (field.when === 'future' && iso < today) return fail(`${name} must be today or in the future`);
  return { value: parts, data: iso };
}

/** A stored 'YYYY-MM-DD' date as the three boxes of a GOV.UK date input. */
export function dateParts(iso: unknown): DateParts {
  if (typeof iso !== 'string') return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

export const yesNo = (value: unknown): string => (value === true ? 'yes' : value === false ? 'no' : '');
export const toBoolean = (value: FieldData[string]): boolean | null =>
  value === 'yes' ? true : value === 'no' ? false : null;
export const textOf = (value: FieldData[string]): string | null => (typeof value === 'string' ? value : null);

export const YES_NO: Choice[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];
export const YES_NO_DONT_KNOW: Choice[] = [...YES_NO, { value: 'dont_know', text: "Don't know" }];

/** A posted value as text; a repeated field or anything not text reads as empty. NUL, which PostgreSQL cannot store
 * in text, is dropped. */
function str(value: unknown): string {
  return typeof value === 'string' ? value.replaceAll('\u0000', '') : '';
}
function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every field given a value the template can show: '' for text, [] for checkboxes, empty boxes for dates. */
export function withDefaults(fields: readonly Field[], values: FormValues): FormValues {
  const all: FormValues = { ...values };
  for (const f of fields) {
    if (all[f.name] !== undefined) continue;
    all[f.name] = f.kind === 'checkboxes' ? [] : f.kind === 'date' ? { day: '', month: '', year: '' } : '';
  }
  return all;
}
