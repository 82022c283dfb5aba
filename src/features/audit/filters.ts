import { z } from 'zod';
import { isAuditAction } from '../../platform/audit/actions.ts';
import type { AuditFilters } from '../../platform/audit/queries.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import type { FieldErrors } from '../../platform/http/forms.ts';
import {
  checkDate,
  compareDates,
  startOfLondonDay,
  type CalendarDate,
  type DatePart,
  type DateParts,
} from './dates.ts';
import { isUuid } from '../../platform/ids.ts';

/** What was typed into the filter form, kept to show it again. */
export type FilterValues = {
  user: string;
  /** The user's id once their email address has been looked up: links carry this, never the address. */
  userId: string;
  case: string;
  action: string;
  from: DateParts;
  to: DateParts;
};

export type FilterResult =
  | {
      ok: true;
      values: FilterValues;
      filters: AuditFilters;
      caseId: string | null;
      /** The request named a user by email address: send the browser to the same filters by id instead. */
      emailInAddress: boolean;
    }
  | {
      ok: false;
      values: FilterValues;
      /** Keyed by the id of the input to link to, in the order of the form. */
      errors: FieldErrors;
      /** Which boxes of each date input to mark as wrong. */
      dateErrors: { from?: { text: string; parts: DatePart[] }; to?: { text: string; parts: DatePart[] } };
    };

// No spaces, control or unassigned characters: those could never be a user's email address.
const EMAIL = /^[^\s@\p{C}]+@[^\s@\p{C}]+$/u;

const USER_FORMAT = 'Enter an email address in the correct format, like name@example.com';
export const NO_SUCH_USER = 'There is no user with this email address';
const CASE_FORMAT = 'Enter a case ID in the correct format, like 0b8f5a3c-6d1e-4f2a-9c7b-3e5d1a2b4c6d';
const ACTION_CHOICE = 'Select an action from the list';
const DATES_IN_ORDER = 'Date to must be the same as or after date from';

// One schema per field, so every field is checked even when another is wrong.
const userField = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === '' || (v.length <= 254 && EMAIL.test(v)), USER_FORMAT);
const caseField = z
  .string()
  .trim()
  .refine((v) => v === '' || isUuid(v), CASE_FORMAT)
  .transform((v) => (v === '' ? null : v.toLowerCase()));
const actionField = z
  .string()
  .trim()
  .refine((v) => v === '' || isAuditAction(v), ACTION_CHOICE)
  .transform((v) => (v === '' ? null : v));

function check<T>(schema: z.ZodType<T>, value: string): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, message: result.error.issues[0]?.message ?? 'Check this answer' };
}

/** The query string's names for each field. */
export const QUERY_NAMES = {
  user: 'user',
  userId: 'user-id',
  case: 'case',
  action: 'action',
  fromDay: 'from-day',
  fromMonth: 'from-month',
  fromYear: 'from-year',
  toDay: 'to-day',
  toMonth: 'to-month',
  toYear: 'to-year',
} as const;

/** One string per field, whatever the query holds: a repeated field counts once, anything else is blank. */
function text(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first : '';
}

export function filterValues(query: unknown): FilterValues {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  return {
    user: text(q, QUERY_NAMES.user),
    userId: text(q, QUERY_NAMES.userId),
    case: text(q, QUERY_NAMES.case),
    action: text(q, QUERY_NAMES.action),
    from: {
      day: text(q, QUERY_NAMES.fromDay),
      month: text(q, QUERY_NAMES.fromMonth),
      year: text(q, QUERY_NAMES.fromYear),
    },
    to: { day: text(q, QUERY_NAMES.toDay), month: text(q, QUERY_NAMES.toMonth), year: text(q, QUERY_NAMES.toYear) },
  };
}

/**
 * Reads the audit viewer's filters from a query string, checking every field
 * at once: the user by email address (looked up in the caller's transaction),
 * the case id, the action, and a date range in UK days — "from" inclusive,
 * "to" inclusive of its whole day. Anything typed gets a message, never an
 * exception.
 */
export async function readFilters(trx: Tx, query: unknown): Promise<FilterResult> {
  const values = filterValues(query);
  const errors: FieldErrors = {};
  const dateErrors: Extract<FilterResult, { ok: false }>['dateErrors'] = {};

  // A user named by id (from our own links) wins over one named by email address (as typed).
  const emailInAddress = values.userId.trim() === '' && values.user.trim() !== '';
  const user = check(userField, values.user);
  let actorUserId: string | undefined;
  if (values.userId.trim() !== '') {
    const id = values.userId.trim().toLowerCase();
    const found = isUuid(id)
      ? await trx.selectFrom('app_user').select(['id', 'email']).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (found) {
      actorUserId = found.id;
      values.user = found.email;
      values.userId = found.id;
    } else errors.user = NO_SUCH_USER;
  } else if (!user.ok) errors.user = user.message;
  else if (user.value !== '') {
    const found = await trx.selectFrom('app_user').select('id').where('email', '=', user.value).executeTakeFirst();
    if (found) {
      actorUserId = found.id;
      values.userId = found.id;
    } else errors.user = NO_SUCH_USER;
  }
  const caseId = check(caseField, values.case);
  if (!caseId.ok) errors.case = caseId.message;

  const dates: { from?: CalendarDate; to?: CalendarDate } = {};
  for (const [field, label] of [
    ['from', 'Date from'],
    ['to', 'Date to'],
  ] as const) {
    const date = checkDate(label, values[field]);
    if (!date.ok) {
      errors[`${field}-${date.parts[0]!}`] = date.message;
      dateErrors[field] = { text: date.message, parts: date.parts };
    } else if (date.date) dates[field] = date.date;
  }
  if (dates.from && dates.to && compareDates(dates.to, dates.from) < 0) {
    errors['to-day'] = DATES_IN_ORDER;
    dateErrors.to = { text: DATES_IN_ORDER, parts: ['day', 'month', 'year'] };
  }

  const action = check(actionField, values.action);
  if (!action.ok) errors.action = action.message;

  if (!caseId.ok || !action.ok || Object.keys(errors).length) return { ok: false, values, errors, dateErrors };

  const filters: AuditFilters = {};
  if (actorUserId !== undefined) filters.actorUserId = actorUserId;
  if (caseId.value !== null) filters.caseId = caseId.value;
  if (dates.from) filters.from = startOfLondonDay(dates.from);
  if (dates.to) filters.to = startOfLondonDay(dates.to, 1);
  if (action.value !== null) filters.action = action.value;
  return { ok: true, values, filters, caseId: caseId.value, emailInAddress };
}

/** True when any filter is set, so the page can offer to clear them. */
export function anyFilter(values: FilterValues): boolean {
  return [values.user, values.case, values.action, ...Object.values(values.from), ...Object.values(values.to)].some(
    (v) => v.trim() !== '',
  );
}

/**
 * The query string for the same filters (and a page), for pagination and the
 * CSV link: only the fields that are set, as they were typed (trimmed), with
 * the user by id.
 */
export function filterQuery(values: FilterValues, page?: number): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string) => {
    if (value.trim() !== '') params.append(name, value.trim());
  };
  // By id only: an email address is personal data and stays out of addresses.
  if (values.userId.trim() !== '') add(QUERY_NAMES.userId, values.userId);
  add(QUERY_NAMES.case, values.case);
  add(QUERY_NAMES.fromDay, values.from.day);
  add(QUERY_NAMES.fromMonth, values.from.month);
  add(QUERY_NAMES.fromYear, values.from.year);
  add(QUERY_NAMES.toDay, values.to.day);
  add(QUERY_NAMES.toMonth, values.to.month);
  add(QUERY_NAMES.toYear, values.to.year);
  add(QUERY_NAMES.action, values.action);
  if (page !== undefined && page > 1) params.append('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}
