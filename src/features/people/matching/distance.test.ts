import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jaro, jaroWinkler, levenshtein, osaDistance, osaWithin } from './distance.ts';

/** Rounds to four places, as the published tables give them. */
const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

describe('levenshtein', () => {
  const cases: [string, string, number][] = [
    ['kitten', 'sitting', 3],
    ['sitting', 'kitten', 3],
    ['flaw', 'lawn', 2],
    ['saturday', 'sunday', 3],
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['john', 'john', 0],
    ['ca', 'abc', 3],
    ['jonh', 'john', 2],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a || '""'} → ${b || '""'} = ${expected}`, () => assert.equal(levenshtein(a, b), expected));
  }
});

describe('osaDistance (optimal string alignment, restricted Damerau-Levenshtein)', () => {
  const cases: [string, string, number][] = [
    ['ca', 'abc', 3], // true (unrestricted) Damerau-Levenshtein gives 2
    ['ab', 'ba', 1],
    ['jonh', 'john', 1],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['abcdef', 'badcfe', 3],
    ['', 'ab', 2],
    ['smith', 'smith', 0],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a || '""'} → ${b || '""'} = ${expected}`, () => assert.equal(osaDistance(a, b), expected));
  }

  test('never exceeds Levenshtein, and is below it for a transposition', () => {
    assert.ok(osaDistance('martha', 'marhta') < levenshtein('martha', 'marhta'));
    assert.equal(levenshtein('martha', 'marhta'), 2);
  });
});

describe('osaWithin (osaDistance within a limit, stopping early)', () => {
  test('agrees with osaDistance for every limit on the published cases', () => {
    const pairs: [string, string][] = [
      ['ca', 'abc'],
      ['ab', 'ba'],
      ['jonh', 'john'],
      ['kitten', 'sitting'],
      ['abcdef', 'badcfe'],
      ['', 'ab'],
      ['smith', 'smith'],
    ];
    for (const [a, b] of pairs) {
      for (let limit = 0; limit <= 4; limit++) {
        assert.equal(osaWithin(a, b, limit), osaDistance(a, b) <= limit, `${a} ${b} ${limit}`);
      }
    }
  });

  test('agrees with osaDistance on thousands of short strings from a small alphabet', () => {
    // Few letters, so matches, transpositions and near misses are common; a fixed generator keeps it repeatable.
    let state = 20261203;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const word = () => Array.from({ length: Math.floor(next() * 8) }, () => 'abcd'[Math.floor(next() * 4)]).join('');
    for (let i = 0; i < 5000; i++) {
      const [a, b, limit] = [word(), word(), Math.floor(next() * 4)];
      assert.equal(osaWithin(a, b, limit), osaDistance(a, b) <= limit, `${a} ${b} ${limit}`);
    }
  });
});

describe('jaro', () => {
  const cases: [string, string, number][] = [
    ['MARTHA', 'MARHTA', 0.9444],
    ['DWAYNE', 'DUANE', 0.8222],
    ['DIXON', 'DICKSONX', 0.7667],
    ['CRATE', 'TRACE', 0.7333],
    ['ABC', 'XYZ', 0],
    ['', '', 1],
    ['A', '', 0],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a || '""'} / ${b || '""'} = ${expected}`, () => assert.equal(round4(jaro(a, b)), expected));
  }

  test('is symmetric', () => assert.equal(jaro('DICKSONX', 'DIXON'), jaro('DIXON', 'DICKSONX')));
});

describe('jaroWinkler (p = 0.1, prefix ≤ 4, boost only when Jaro > 0.7)', () => {
  const cases: [string, string, number][] = [
    ['MARTHA', 'MARHTA', 0.9611],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.8133],
    ['JONES', 'JOHNSON', 0.8324],
    ['ABROMS', 'ABRAMS', 0.9222],
    ['SHACKLEFORD', 'SHACKELFORD', 0.9818],
    ['', '', 1],
    ['ABC', 'XYZ', 0],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a || '""'} / ${b || '""'} = ${expected}`, () => assert.equal(round4(jaroWinkler(a, b)), expected));
  }

  test('the prefix counts at most four characters', () => {
    // Jaro(ABCDEFGH, ABCDEFGX) = 0.9167; four prefix characters give 0.95, five would give 0.9583.
    assert.equal(round4(jaro('ABCDEFGH', 'ABCDEFGX')), 0.9167);
    assert.equal(round4(jaroWinkler('ABCDEFGH', 'ABCDEFGX')), 0.95);
  });

  test('no boost at or below the 0.7 threshold', () => {
    // Jaro(ABCXYZ, ABCPQR) = 0.6667 with a three-letter common prefix.
    assert.equal(round4(jaro('ABCXYZ', 'ABCPQR')), 0.6667);
    assert.equal(jaroWinkler('ABCXYZ', 'ABCPQR'), jaro('ABCXYZ', 'ABCPQR'));
    assert.ok(jaroWinkler('ABCXYZ', 'ABCPQR', { boostThreshold: 0 }) > jaro('ABCXYZ', 'ABCPQR'));
  });

  test('rejects a prefix scale that could exceed 1', () => {
    assert.throws(() => jaroWinkler('A', 'A', { prefixScale: 0.3 }), RangeError);
  });
});
