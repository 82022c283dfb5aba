import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADDRESS_LEVELS, AGE_LEVELS, DOB_LEVELS, FORENAME_LEVELS, SURNAME_LEVELS } from './compare.ts';
import {
  DEFAULT_PROBABILITIES,
  DEFAULT_WEIGHTS,
  exactSurnameWeight,
  matchWeight,
  matchWeights,
  MIN_SURNAME_FREQUENCY,
  surnameFrequencyFromCounts,
  unknownSurnameFrequency,
  type MatchProbabilities,
  type SurnameFrequency,
} from './weights.ts';

const frequencies: SurnameFrequency = (surname) =>
  ({ smith: 0.0126, singh: 0.2, okonkwo: 0.00001, jones: 0.0075 })[surname] ?? null;

describe('matchWeight', () => {
  const cases: [number, number, number][] = [
    [0.8, 0.01, Math.log2(80)],
    [0.5, 0.5, 0],
    [0.04, 0.967, Math.log2(0.04 / 0.967)],
  ];
  for (const [m, u, expected] of cases) {
    test(`m ${m}, u ${u} → ${expected.toFixed(3)}`, () => {
      assert.ok(Math.abs(matchWeight({ m, u }) - expected) < 1e-12);
    });
  }

  test('refuses probabilities of 0, which would make a weight infinite', () => {
    assert.throws(() => matchWeight({ m: 0, u: 0.1 }), RangeError);
    assert.throws(() => matchWeight({ m: 0.1, u: 0 }), RangeError);
  });
});

describe('DEFAULT_WEIGHTS', () => {
  const fields = [
    ['forename', FORENAME_LEVELS, DEFAULT_WEIGHTS.forename],
    ['surname', SURNAME_LEVELS, DEFAULT_WEIGHTS.surname],
    ['dob', DOB_LEVELS, DEFAULT_WEIGHTS.dob],
    ['age', AGE_LEVELS, DEFAULT_WEIGHTS.age],
    ['address', ADDRESS_LEVELS, DEFAULT_WEIGHTS.address],
  ] as const;
  for (const [field, levels, weights] of fields) {
    test(`${field}: weights fall in the order of the levels, best first`, () => {
      const values = levels.map((level) => (weights as Record<string, number>)[level]!);
      for (let i = 1; i < values.length; i++) {
        assert.ok(values[i - 1]! > values[i]!, `${levels[i - 1]} (${values[i - 1]}) > ${levels[i]} (${values[i]})`);
      }
    });

    test(`${field}: missing weighs 0, agreement is for and difference against`, () => {
      const table = weights as Record<string, number>;
      assert.equal(table['missing'], 0);
      assert.ok(table[levels[0]]! > 0, `${levels[0]} is for`);
      assert.ok(table['different']! < 0);
    });
  }

  for (const [field, table] of Object.entries(DEFAULT_PROBABILITIES)) {
    test(`${field}: m and u each sum to about 1`, () => {
      const values = Object.values(table as Record<string, { m: number; u: number }>);
      const m = values.reduce((sum, level) => sum + level.m, 0);
      const u = values.reduce((sum, level) => sum + level.u, 0);
      assert.ok(Math.abs(m - 1) < 0.01, `m sums to ${m}`);
      assert.ok(Math.abs(u - 1) < 0.01, `u sums to ${u}`);
    });
  }

  test('are the weights of the default probabilities', () => {
    assert.deepEqual(matchWeights(DEFAULT_PROBABILITIES), DEFAULT_WEIGHTS);
  });

  test('follow edited probabilities', () => {
    const edited: MatchProbabilities = {
      ...DEFAULT_PROBABILITIES,
      dob: { ...DEFAULT_PROBABILITIES.dob, exact: { m: 0.9, u: 0.009 } },
    };
    assert.ok(Math.abs(matchWeights(edited).dob.exact - Math.log2(100)) < 1e-12);
  });
});

describe('exactSurnameWeight (term frequency)', () => {
  test('a rare surname weighs more than a common one', () => {
    assert.ok(exactSurnameWeight('Okonkwo', frequencies) > exactSurnameWeight('Smith', frequencies));
    assert.ok(exactSurnameWeight('Jones', frequencies) > exactSurnameWeight('Smith', frequencies));
  });

  test('is log2(m / u_tf) for a known surname, looked up normalised', () => {
    const expected = Math.log2(DEFAULT_PROBABILITIES.surname.exact.m / 0.0126);
    assert.ok(Math.abs(exactSurnameWeight('  SMITH ', frequencies) - expected) < 1e-12);
  });

  test('an unknown surname, or no lookup, gets the average exact weight', () => {
    assert.equal(exactSurnameWeight('Zebedee', frequencies), DEFAULT_WEIGHTS.surname.exact);
    assert.equal(exactSurnameWeight('Smith', unknownSurnameFrequency), DEFAULT_WEIGHTS.surname.exact);
  });

  test('nonsense frequencies are ignored', () => {
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(
        exactSurnameWeight('Smith', () => value),
        DEFAULT_WEIGHTS.surname.exact,
        String(value),
      );
    }
  });

  test('a very rare surname is capped at the minimum frequency', () => {
    const capped = Math.log2(DEFAULT_PROBABILITIES.surname.exact.m / MIN_SURNAME_FREQUENCY);
    assert.ok(Math.abs(exactSurnameWeight('Okonkwo', frequencies) - capped) < 1e-12);
  });

  test('a very common surname never weighs less than a near miss', () => {
    const nextBest = DEFAULT_WEIGHTS.surname.previous_surname;
    assert.equal(exactSurnameWeight('Singh', frequencies), nextBest);
    assert.ok(exactSurnameWeight('Singh', frequencies) > DEFAULT_WEIGHTS.surname.jw_high);
  });
});

describe('surnameFrequencyFromCounts', () => {
  const lookup = surnameFrequencyFromCounts(
    new Map([
      ['smith', 130],
      ['okonkwo', 2],
    ]),
    10_000,
  );

  test('answers count / total', () => {
    assert.equal(lookup('smith'), 0.013);
  });

  test('answers null for names seen too rarely or not at all', () => {
    assert.equal(lookup('okonkwo'), null);
    assert.equal(lookup('zebedee'), null);
  });

  test('answers null for an empty population', () => {
    assert.equal(surnameFrequencyFromCounts(new Map([['smith', 10]]), 0)('smith'), null);
  });
});
