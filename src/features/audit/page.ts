import { AUDIT_ACTIONS } from '../../platform/audit/actions.ts';
import type { FieldErrors } from '../../platform/http/forms.ts';
import type { DatePart } from './dates.ts';
import type { EventRow } from './events.ts';
import { anyFilter, type FilterResult, type FilterValues } from './filters.ts';
import { actionLabel } from './labels.ts';
import type { Pagination } from './pagination.ts';

export const AUDIT_PAGE = 'features/audit/audit.njk';

/** Rows per page of the viewer. */
export const PAGE_SIZE = 50;

/** The most events one CSV export holds: it is built in memory, inside the transaction that records it. */
export const EXPORT_MAX_ROWS = 100_000;

/** The action list for the filter's select: every action there is, by its words and its code. */
const ACTION_ITEMS = [
  { value: '', text: 'Any action' },
  ...AUDIT_ACTIONS.map((code) => ({ value: code, text: `${actionLabel(code)} (${code})` })),
];

type DateItems = { name: DatePart; value: string; error: boolean }[];

function dateItems(values: FilterValues['from'], wrong: readonly DatePart[] = []): DateItems {
  return (['day', 'month', 'year'] as const).map((name) => ({
    name,
    value: values[name],
    error: wrong.includes(name),
  }));
}

/** What the filter form needs: the answers as typed, and any errors. */
export function formContext(
  values: FilterValues,
  errors: FieldErrors = {},
  dateErrors: Extract<FilterResult, { ok: false }>['dateErrors'] = {},
) {
  return {
    values,
    errors,
    actionItems: ACTION_ITEMS,
    fromItems: dateItems(values.from, dateErrors.from?.parts),
    toItems: dateItems(values.to, dateErrors.to?.parts),
    fromError: dateErrors.from?.text,
    toError: dateErrors.to?.text,
    filtered: anyFilter(values),
  };
}

export type ResultsContext = {
  rows: EventRow[];
  total: number;
  page: number;
  first: number;
  last: number;
  pagination: Pagination | null;
  exportHref: string | null;
  exportMax: number;
};
