/** Parameters for the GOV.UK pagination component. */
export type Pagination = {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
};

/** The highest page the viewer goes to: beyond it, narrow the filters instead. */
export const MAX_PAGE = 100_000;

/** The page asked for: a whole number from 1 to MAX_PAGE, or page 1 for anything else. */
export function pageNumber(raw: unknown): number {
  const text = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (typeof text !== 'string' || !/^\d{1,6}$/.test(text)) return 1;
  const page = Number(text);
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * Links to the first and last pages and those either side of this one, with
 * ellipses for the gaps, as the Design System recommends. Null when
 * everything fits on one page.
 */
export function pagination(page: number, pages: number, href: (page: number) => string): Pagination | null {
  if (pages <= 1 && page <= 1) return null;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const items: Pagination['items'] = [];
  let last = 0;
  for (const n of shown) {
    // An ellipsis stands for two or more pages; a gap of one shows that page.
    if (n === last + 2) items.push({ number: n - 1, href: href(n - 1), current: false });
    else if (n > last + 2) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
    last = n;
  }
  const result: Pagination = { items };
  if (page > 1) result.previous = { href: href(Math.min(page - 1, pages)) };
  if (page < pages) result.next = { href: href(page + 1) };
  return result;
}
