/** A calendar date as typed into a GOV.UK date input, checked to be real. */
export type CalendarDate = { year: number; month: number; day: number };

export type DateParts = { day: string; month: string; year: string };
export type DatePart = keyof DateParts;

export type DateCheck = { ok: true; date: CalendarDate | null } | { ok: false; message: string; parts: DatePart[] };

const PARTS: readonly DatePart[] = ['day', 'month', 'year'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** 1–12 from "5", "05", "May" or "may"; NaN for anything else. */
function monthNumber(text: string): number {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const name = text.toLowerCase();
  if (name.length < 3) return Number.NaN;
  const index = MONTHS.findIndex((m) => m === name || m.slice(0, 3) === name || (name === 'sept' && m === 'september'));
  return index === -1 ? Number.NaN : index + 1;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Checks a GOV.UK date input's three boxes, with the Design System's messages.
 * All three empty means "no date"; `label` starts the message ("Date from").
 */
export function checkDate(label: string, raw: DateParts): DateCheck {
  const text = { day: raw.day.trim(), month: raw.month.trim(), year: raw.year.trim() };
  const missing = PARTS.filter((part) => text[part] === '');
  if (missing.length === PARTS.length) return { ok: true, date: null };
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(' and ')}`, parts: missing };

  const day = /^\d{1,2}$/.test(text.day) ? Number(text.day) : Number.NaN;
  const month = monthNumber(text.month);
  const year = /^\d{1,4}$/.test(text.year) ? Number(text.year) : Number.NaN;
  const bad: DatePart[] = [];
  if (!(day >= 1 && day <= 31)) bad.push('day');
  if (!(month >= 1 && month <= 12)) bad.push('month');
  if (Number.isNaN(year)) bad.push('year');
  if (bad.length) return { ok: false, message: `${label} must be a real date`, parts: bad };
  if (text.year.length !== 4)
    return { ok: false, message: `The year in ${label.toLowerCase()} must include 4 numbers`, parts: ['year'] };
  if (year < 1900) return { ok: false, message: `${label} must be a real date`, parts: ['year'] };
  if (day > daysIn(year, month)) return { ok: false, message: `${label} must be a real date`, parts: ['day', 'month'] };
  return { ok: true, date: { year, month, day } };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** How far UK time is ahead of UTC at an instant, in milliseconds (0 in winter, an hour in summer). */
function londonOffsetMs(instant: number): number {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a day begins in the UK: midnight GMT in winter, 23:00 UTC the
 * day before in summer. The clocks change at 01:00 UTC, so UK midnight is
 * never skipped or repeated. `addDays` moves the date first (1 gives the
 * start of the next day, the exclusive end of this one).
 */
export function startOfLondonDay(date: CalendarDate, addDays = 0): Date {
  const midnightUtc = Date.UTC(date.year, date.month - 1, date.day + addDays);
  let instant = midnightUtc - londonOffsetMs(midnightUtc);
  // Check against the offset at the answer itself, in case it lies the other side of a change.
  instant = midnightUtc - londonOffsetMs(instant);
  return new Date(instant);
}

/** Today's date in the UK, as yyyy-mm-dd. */
export function londonIsoDate(instant: Date): string {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
}
