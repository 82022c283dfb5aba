import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addMonths, compareDates, daysInMonth, parseDate } from './dates.ts';

describe('dates', () => {
  describe('adds calendar months, clamping to the end of a shorter month', () => {
    const cases: [from: string, months: number, expected: string][] = [
      ['2024-05-10', 12, '2025-05-10'],
      ['2024-02-29', 12, '2025-02-28'],
      ['2024-02-29', 48, '2028-02-29'],
      ['2023-02-28', 12, '2024-02-28'],
      ['2024-01-31', 1, '2024-02-29'],
      ['2023-01-31', 1, '2023-02-28'],
      ['2024-08-31', 1, '2024-09-30'],
      ['2024-12-15', 1, '2025-01-15'],
      ['2024-11-30', 3, '2025-02-28'],
      ['2025-03-31', -1, '2025-02-28'],
      ['2025-01-15', -1, '2024-12-15'],
      ['2024-06-01', 0, '2024-06-01'],
    ];
    for (const [from, months, expected] of cases) {
      test(`${from} + ${months} months = ${expected}`, () => assert.equal(addMonths(from, months), expected));
    }
  });

  test('knows month lengths, leap years included', () => {
    const cases: [year: number, month: number, days: number][] = [
      [2024, 2, 29],
      [2025, 2, 28],
      [1900, 2, 28],
      [2000, 2, 29],
      [2025, 4, 30],
      [2025, 12, 31],
    ];
    for (const [year, month, days] of cases) assert.equal(daysInMonth(year, month), days, `${year}-${month}`);
  });

  test('parses real YYYY-MM-DD dates only', () => {
    assert.deepEqual(parseDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-1-5',
      '05/01/2024',
      '',
      '2024-01-01T00:00',
    ]) {
      assert.throws(() => parseDate(bad), RangeError, bad);
    }
    assert.throws(() => addMonths('2024-02-30', 1), RangeError);
    assert.throws(() => addMonths('2024-02-01', 1.5), RangeError);
  });

  test('compares dates in calendar order', () => {
    assert.equal(compareDates('2024-02-29', '2024-03-01'), -1);
    assert.equal(compareDates('2025-01-01', '2024-12-31'), 1);
    assert.equal(compareDates('2024-06-01', '2024-06-01'), 0);
    assert.throws(() => compareDates('2024-06-01', 'not a date'), RangeError);
  });
});
