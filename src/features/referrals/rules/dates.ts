// Calendar dates as 'YYYY-MM-DD' strings: no time of day, no time zone, so nothing can shift a date by one.

export interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC so no local offset applies.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses a real calendar date in 'YYYY-MM-DD' form; throws RangeError for anything else (2023-02-29, 2024-1-5). */
export function parseDate(text: string): CalendarDate {
  const match = ISO_DATE.exec(text);
  if (match === null) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`Not a real calendar date: ${text}`);
  }
  return { year, month, day };
}

export function formatDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The same day of the month, `months` calendar months later. When that month is too short the date is clamped to
 * its last day: 2024-02-29 plus 12 months is 2025-02-28, and 2024-01-31 plus 1 month is 2024-02-29.
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError('months must be a whole number');
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  return formatDate({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** Orders two valid 'YYYY-MM-DD' dates: negative when a is earlier, 0 when equal, positive when later. */
export function compareDates(a: string, b: string): number {
  // Validated, fixed-width, zero-padded strings sort lexically in date order.
  parseDate(a);
  parseDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
