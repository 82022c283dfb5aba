import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkDate, londonIsoDate, startOfLondonDay } from './dates.ts';

const parts = (day: string, month: string, year: string) => ({ day, month, year });

describe('checkDate', () => {
  test('three empty boxes are no date; a real date is read', () => {
    assert.deepEqual(checkDate('Date from', parts('', ' ', '')), { ok: true, date: null });
    assert.deepEqual(checkDate('Date from', parts(' 7 ', '03', '2025')), {
      ok: true,
      date: { year: 2025, month: 3, day: 7 },
    });
  });

  test('months may be given by name or abbreviation', () => {
    for (const month of ['Sep', 'sept', 'SEPTEMBER', '9', '09'])
      assert.deepEqual(checkDate('Date from', parts('1', month, '2025')), {
        ok: true,
        date: { year: 2025, month: 9, day: 1 },
      });
    assert.equal(checkDate('Date from', parts('1', 'se', '2025')).ok, false);
    assert.equal(checkDate('Date from', parts('1', 'Septembre', '2025')).ok, false);
  });

  test('names the missing boxes', () => {
    assert.deepEqual(checkDate('Date to', parts('1', '', '')), {
      ok: false,
      message: 'Date to must include a month and year',
      parts: ['month', 'year'],
    });
    assert.deepEqual(checkDate('Date to', parts('', '2', '2025')), {
      ok: false,
      message: 'Date to must include a day',
      parts: ['day'],
    });
  });

  test('refuses dates that do not exist, marking the wrong boxes', () => {
    const wrong = (d: string, m: string, y: string) => checkDate('Date from', parts(d, m, y));
    assert.deepEqual(wrong('0', '1', '2025'), { ok: false, message: 'Date from must be a real date', parts: ['day'] });
    assert.deepEqual(wrong('1', '13', '2025'), {
      ok: false,
      message: 'Date from must be a real date',
      parts: ['month'],
    });
    assert.deepEqual(wrong('31', '4', '2025'), {
      ok: false,
      message: 'Date from must be a real date',
      parts: ['day', 'month'],
    });
    assert.deepEqual(wrong('29', '2', '2100'), {
      ok: false,
      message: 'Date from must be a real date',
      parts: ['day', 'month'],
    });
    assert.equal(wrong('29', '2', '2000').ok, true);
    assert.deepEqual(wrong('1', '1', '202'), {
      ok: false,
      message: 'The year in date from must include 4 numbers',
      parts: ['year'],
    });
    assert.equal(wrong('1', '1', '1899').ok, false);
    assert.equal(wrong('1', '1', '20255').ok, false);
    assert.equal(wrong('1.5', '1', '2025').ok, false);
    assert.equal(wrong('-1', '1', '2025').ok, false);
    assert.equal(wrong('1e1', '1', '2025').ok, false);
    assert.equal(wrong('１', '1', '2025').ok, false, 'full-width digits are not digits here');
  });
});

describe('UK days', () => {
  test('a winter day starts at midnight UTC, a summer day at 23:00 UTC the day before', () => {
    assert.equal(startOfLondonDay({ year: 2025, month: 1, day: 15 }).toISOString(), '2025-01-15T00:00:00.000Z');
    assert.equal(startOfLondonDay({ year: 2025, month: 7, day: 1 }).toISOString(), '2025-06-30T23:00:00.000Z');
  });

  test('the days the clocks change start at UK midnight, and end at the next', () => {
    // 30 March 2025: the clocks went forward at 01:00 UTC, after midnight.
    assert.equal(startOfLondonDay({ year: 2025, month: 3, day: 30 }).toISOString(), '2025-03-30T00:00:00.000Z');
    assert.equal(startOfLondonDay({ year: 2025, month: 3, day: 30 }, 1).toISOString(), '2025-03-30T23:00:00.000Z');
    // 26 October 2025: midnight was still summer time.
    assert.equal(startOfLondonDay({ year: 2025, month: 10, day: 26 }).toISOString(), '2025-10-25T23:00:00.000Z');
    assert.equal(startOfLondonDay({ year: 2025, month: 10, day: 26 }, 1).toISOString(), '2025-10-27T00:00:00.000Z');
  });

  test('adding a day crosses months and years', () => {
    assert.equal(startOfLondonDay({ year: 2025, month: 12, day: 31 }, 1).toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(startOfLondonDay({ year: 2024, month: 2, day: 28 }, 1).toISOString(), '2024-02-29T00:00:00.000Z');
  });

  test("today's date in the UK", () => {
    assert.equal(londonIsoDate(new Date('2025-07-01T23:30:00Z')), '2025-07-02');
    assert.equal(londonIsoDate(new Date('2025-12-31T23:30:00Z')), '2025-12-31');
  });
});
