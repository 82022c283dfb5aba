import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareBirthYears, compareDatesOfBirth, type AgeLevel, type DobLevel } from './dob.ts';

describe('compareDatesOfBirth', () => {
  const cases: [string | null, string | null, DobLevel][] = [
    ['1985-03-07', '1985-03-07', 'exact'],
    ['1985-03-07', '1985-07-03', 'day_month_swapped'],
    ['1985-12-11', '1985-11-12', 'day_month_swapped'],
    ['1985-03-07', '1986-07-03', 'different'], // swapped, but a different year
    ['1985-03-07', '1985-03-08', 'one_digit_off'],
    ['1985-03-07', '1986-03-07', 'one_digit_off'],
    ['1985-03-07', '1995-03-07', 'one_digit_off'],
    ['1985-03-12', '1985-03-22', 'one_digit_off'],
    ['1985-01-10', '1985-10-10', 'year_only'], // two digits changed, same year
    ['1985-01-01', '1985-01-01', 'exact'],
    ['1985-03-07', '1985-11-20', 'year_only'],
    ['1985-03-07', '1986-03-08', 'different'],
    ['1985-03-07', '1958-03-07', 'different'], // transposed year digits: two digits differ
    ['1985-03-07', null, 'missing'],
    [null, '1985-03-07', 'missing'],
    [null, null, 'missing'],
    ['', '1985-03-07', 'missing'],
    ['1985-02-30', '1985-02-30', 'missing'], // not a real date
    ['07/03/1985', '1985-03-07', 'missing'],
  ];
  for (const [a, b, expected] of cases) {
    test(`${String(a)} vs ${String(b)} → ${expected}`, () => {
      assert.equal(compareDatesOfBirth(a, b), expected);
      assert.equal(compareDatesOfBirth(b, a), expected, 'symmetric');
    });
  }

  test('equal day and month is exact, never swapped', () => {
    assert.equal(compareDatesOfBirth('1985-05-05', '1985-05-05'), 'exact');
  });
});

describe('compareBirthYears', () => {
  const cases: [number | null, number | null, AgeLevel][] = [
    [1985, 1985, 'close'],
    [1985, 1987, 'close'],
    [1985, 1988, 'close'],
    [1985, 1981, 'near'],
    [1985, 1979, 'near'],
    [1985, 1978, 'different'],
    [1985, null, 'missing'],
    [null, null, 'missing'],
  ];
  for (const [a, b, expected] of cases) {
    test(`${String(a)} vs ${String(b)} → ${expected}`, () => {
      assert.equal(compareBirthYears(a, b), expected);
      assert.equal(compareBirthYears(b, a), expected, 'symmetric');
    });
  }
});
