import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dateOfBirthParts,
  foldAccents,
  nameParts,
  normaliseName,
  postcodeOutcode,
  splitNameParts,
  stripTitles,
} from './normalise.ts';

describe('foldAccents (as PostgreSQL unaccent folds Latin letters)', () => {
  const cases: [string, string][] = [
    ['Zoë', 'Zoe'],
    ['Renée Müller', 'Renee Muller'],
    ['Łukasz Wałęsa', 'Lukasz Walesa'],
    ['Søren Ærø', 'Soren AEro'],
    ['Straße', 'Strasse'],
    ['Œdipe', 'OEdipe'],
    ['Þór Dóttir', 'THor Dottir'],
    ['Đorđević', 'Dordevic'],
    ['Çelik Şahin Ğ', 'Celik Sahin G'],
    ['ﬁnlay', 'finlay'],
    ['Ĳsselmeer', 'IJsselmeer'],
    ['plain', 'plain'],
    ['Paral·lel Ŀuís', 'Paral·lel Luis'],
    ['प्रिया', 'प्रिया'], // marks in other scripts are kept
    ['김민준', '김민준'],
    ['Йосиф', 'Йосиф'],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => assert.equal(foldAccents(input), expected));
  }
});

describe('normaliseName', () => {
  const cases: [string, string][] = [
    ["O'Brien", 'obrien'],
    ['O’Brien', 'obrien'],
    ['OBrien', 'obrien'],
    ['Smith-Jones', 'smith jones'],
    ['Smith – Jones', 'smith jones'],
    ['  Zoë   Smith ', 'zoe smith'],
    ['St. John', 'st john'],
    ['MACDONALD', 'macdonald'],
    ['Mrs Jane Smith', 'mrs jane smith'],
    ['', ''],
    ["'-", ''],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(normaliseName(input), expected));
  }
});

describe('stripTitles', () => {
  const cases: [string, string][] = [
    ['mrs jane smith', 'jane smith'],
    ['mr john smith', 'john smith'],
    ['dr ms amy lee', 'amy lee'],
    ['miss', 'miss'],
    ['jane miss', 'jane miss'],
    ['prof sir ian botham', 'ian botham'],
    ['di smith', 'di smith'],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(stripTitles(input), expected));
  }
});

describe('name parts', () => {
  test('splitNameParts splits on spaces and drops empties', () => {
    assert.deepEqual(splitNameParts('smith jones'), ['smith', 'jones']);
    assert.deepEqual(splitNameParts(''), []);
  });

  test('nameParts normalises, strips titles and splits', () => {
    assert.deepEqual(nameParts('Mrs. Sarah Smith-Jones'), ['sarah', 'smith', 'jones']);
    assert.deepEqual(nameParts("Dr Seán O'Brien"), ['sean', 'obrien']);
    assert.deepEqual(nameParts('  '), []);
  });
});

describe('postcodeOutcode', () => {
  const cases: [string, string | null][] = [
    ['SW1A 1AA', 'SW1A'],
    ['sw1a1aa', 'SW1A'],
    ['  EC1A   1BB ', 'EC1A'],
    ['W1A 0AX', 'W1A'],
    ['M1 1AE', 'M1'],
    ['B33 8TH', 'B33'],
    ['CR2 6XH', 'CR2'],
    ['DN55 1PT', 'DN55'],
    ['GIR 0AA', 'GIR'],
    ['SW1A', null], // an outcode alone is not a postcode
    ['SW1A 1A', null],
    ['SW1A 1AAA', null],
    ['QW1 1AA', null], // Q never starts a postcode
    ['SW1A 1CA', null], // C never appears in the inward unit
    ['12345', null],
    ['', null],
    ['not a postcode', null],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${String(expected)}`, () => assert.equal(postcodeOutcode(input), expected));
  }
});

describe('dateOfBirthParts', () => {
  const cases: [string, { year: number; month: number; day: number } | null][] = [
    ['1985-03-07', { year: 1985, month: 3, day: 7 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
    ['1900-02-29', null],
    ['2023-02-29', null],
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['1985-04-31', null],
    ['1985-13-01', null],
    ['1985-00-10', null],
    ['1985-01-00', null],
    ['07/03/1985', null],
    ['1985-3-7', null],
    ['', null],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)}`, () => assert.deepEqual(dateOfBirthParts(input), expected));
  }
});
