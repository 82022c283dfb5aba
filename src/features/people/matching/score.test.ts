import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PersonRecord } from './compare.ts';
import {
  describeEvidence,
  POSSIBLE_THRESHOLD,
  scoreCandidate,
  STRONG_THRESHOLD,
  strongThreshold,
  type Band,
  type Evidence,
  type ScoreResult,
} from './score.ts';
import { DEFAULT_WEIGHTS, type SurnameFrequency } from './weights.ts';

function person(
  forenames: string,
  surname: string,
  dateOfBirth: string | null,
  postcode: string | null = null,
  extra: Partial<PersonRecord> = {},
): PersonRecord {
  return { forenames, surname, dateOfBirth, postcode, ...extra };
}

/** Proportions of the area's population (Smith is about 1.3% in England; the rare names are made up for the test). */
const frequencies: SurnameFrequency = (surname) =>
  ({ smith: 0.0126, jones: 0.0075, okonkwo: 0.0004, zadrozny: 0.0004 })[surname] ?? null;

function line(result: ScoreResult, field: Evidence['field']): Evidence | undefined {
  return result.evidence.find((evidence) => evidence.field === field);
}

function capReasons(result: ScoreResult): string[] {
  return result.evidence.filter((evidence) => evidence.field === 'band').map((evidence) => evidence.detail);
}

describe('scoreCandidate: the issue example', () => {
  const result = scoreCandidate(person('Jon', 'Smyth', '1985-04-03'), person('Jonathan', 'Smith', '1985-03-04'));

  test('is a possible match, not strong and not missed', () => {
    assert.equal(result.band, 'possible');
    assert.ok(result.score >= POSSIBLE_THRESHOLD && result.score < STRONG_THRESHOLD, String(result.score));
  });

  test('shows nickname, similar surname and swapped day and month as evidence', () => {
    assert.equal(line(result, 'forename')?.level, 'nickname');
    assert.ok(['jw_high', 'jw_mid', 'phonetic'].includes(line(result, 'surname')!.level));
    assert.equal(line(result, 'date of birth')?.level, 'day_month_swapped');
    assert.equal(describeEvidence(line(result, 'forename')!), 'forename: nickname (Jon ~ Jonathan) +4.9');
    assert.equal(
      describeEvidence(line(result, 'date of birth')!),
      'date of birth: day month swapped (1985-04-03 ~ 1985-03-04) +7.2',
    );
  });

  test('the score is the sum of the evidence weights', () => {
    const sum = result.evidence.reduce((total, evidence) => total + evidence.weight, 0);
    assert.ok(Math.abs(result.score - sum) < 1e-9);
    const expected =
      DEFAULT_WEIGHTS.forename.nickname +
      DEFAULT_WEIGHTS.surname.jw_mid +
      DEFAULT_WEIGHTS.dob.day_month_swapped +
      DEFAULT_WEIGHTS.address.missing;
    assert.ok(Math.abs(result.score - expected) < 1e-9);
  });
});

describe('scoreCandidate: bands', () => {
  type Case = {
    name: string;
    query: PersonRecord;
    candidate: PersonRecord;
    bands: Band[];
    cap?: RegExp;
  };
  const cases: Case[] = [
    {
      name: 'the same person, everything equal',
      query: person('Sarah', 'Jones', '1990-01-02', 'M1 1AE'),
      candidate: person('Sarah', 'Jones', '1990-01-02', 'M1 1AE'),
      bands: ['strong'],
    },
    {
      name: 'the same person, no address known',
      query: person('Sarah', 'Jones', '1990-01-02'),
      candidate: person('Sarah', 'Jones', '1990-01-02'),
      bands: ['strong'],
    },
    {
      name: 'the same person after moving to a refuge (different postcode)',
      query: person('Sarah', 'Smith', '1990-01-02', 'LS1 4AP'),
      candidate: person('Sarah', 'Smith', '1990-01-02', 'M1 1AE'),
      bands: ['strong'],
    },
    {
      name: 'the same person under a nickname',
      query: person('Bill', 'Okonkwo', '1971-11-30'),
      candidate: person('William', 'Okonkwo', '1971-11-30'),
      bands: ['strong'],
    },
    {
      name: 'twins: same surname, date of birth and postcode, different forenames',
      query: person('Amy', 'Patel', '2001-06-15', 'M1 1AE'),
      candidate: person('Zoe', 'Patel', '2001-06-15', 'M1 1AE'),
      bands: ['possible'],
      cap: /twins guard/,
    },
    {
      name: 'twins with similar forenames',
      query: person('Daniel', 'Okonkwo', '2001-06-15', 'M1 1AE'),
      candidate: person('Danielle', 'Okonkwo', '2001-06-15', 'M1 1AE'),
      bands: ['possible'],
      cap: /twins guard/,
    },
    {
      name: 'twins living apart',
      query: person('Daniel', 'Okonkwo', '2001-06-15', 'LS1 4AP'),
      candidate: person('Danielle', 'Okonkwo', '2001-06-15', 'M1 1AE'),
      bands: ['possible'],
      cap: /twins guard/,
    },
    {
      name: 'at one address, twins whose names the nickname table links (Henry and Harry)',
      query: person('Henry', 'Okonkwo', '1992-03-19', 'M1 1AE'),
      candidate: person('Harry', 'Okonkwo', '1992-03-19', 'M1 1AE'),
      bands: ['possible'],
      cap: /siblings guard/,
    },
    {
      name: 'the same, living apart: the nickname says the same person',
      query: person('Henry', 'Okonkwo', '1992-03-19', 'LS1 4AP'),
      candidate: person('Harry', 'Okonkwo', '1992-03-19', 'M1 1AE'),
      bands: ['strong'],
    },
    {
      name: 'siblings at one address with different dates of birth',
      query: person('Amy', 'Patel', '2001-06-15', 'M1 1AE'),
      candidate: person('Zoe', 'Patel', '2004-02-20', 'M1 1AE'),
      bands: ['none', 'possible'],
    },
    {
      name: 'siblings with a rare surname, born on the same day a year apart (one digit off)',
      query: person('Amy', 'Zadrozny', '2001-06-15', 'M1 1AE'),
      candidate: person('Amu', 'Zadrozny', '2002-06-15', 'M1 1AE'),
      bands: ['none', 'possible'],
      cap: /siblings guard/,
    },
    {
      name: 'father and son with one name at one address',
      query: person('John', 'Okonkwo', '1960-03-04', 'M1 1AE'),
      candidate: person('John', 'Okonkwo', '1988-09-21', 'M1 1AE'),
      bands: ['possible'],
      cap: /dates of birth disagree/,
    },
    {
      name: 'missing date of birth, everything else equal',
      query: person('Sarah', 'Okonkwo', null, 'M1 1AE'),
      candidate: person('Sarah', 'Okonkwo', '1990-01-02', 'M1 1AE'),
      bands: ['possible'],
      cap: /date of birth is missing/,
    },
    {
      name: 'missing forename, everything else equal',
      query: person('', 'Okonkwo', '1990-01-02', 'M1 1AE'),
      candidate: person('Sarah', 'Okonkwo', '1990-01-02', 'M1 1AE'),
      bands: ['possible'],
      cap: /forename or surname is missing/,
    },
    {
      name: 'forename and surname swapped',
      query: person('Okonkwo', 'Sarah', '1990-01-02'),
      candidate: person('Sarah', 'Okonkwo', '1990-01-02'),
      bands: ['strong'],
    },
    {
      name: 'married: the query uses her previous surname',
      query: person('Sarah', 'Jones', '1990-01-02'),
      candidate: person('Sarah', 'Smith', '1990-01-02', null, { previousSurnames: ['Jones'] }),
      bands: ['strong'],
    },
    {
      name: 'married, surname change not recorded: falls to possible, not none',
      query: person('Sarah', 'Jones', '1990-01-02'),
      candidate: person('Sarah', 'Smith', '1990-01-02'),
      bands: ['possible'],
    },
    {
      name: 'same name, date of birth entirely different: possible, for a coordinator to look at',
      query: person('Sarah', 'Jones', '1990-01-02'),
      candidate: person('Sarah', 'Jones', '1975-08-19'),
      bands: ['possible'],
    },
    {
      name: 'completely different people',
      query: person('Amy', 'Patel', '2001-06-15', 'M1 1AE'),
      candidate: person('Robert', 'Jones', '1958-11-30', 'SW1A 1AA'),
      bands: ['none'],
    },
    {
      name: 'only the surname shared',
      query: person('Amy', 'Smith', '2001-06-15', 'M1 1AE'),
      candidate: person('Robert', 'Smith', '1958-11-30', 'SW1A 1AA'),
      bands: ['none'],
    },
  ];

  for (const { name, query, candidate, bands, cap } of cases) {
    test(`${name} → ${bands.join(' or ')}`, () => {
      for (const [left, right] of [
        [query, candidate],
        [candidate, query],
      ] as const) {
        const result = scoreCandidate(left, right, { surnameFrequency: frequencies });
        assert.ok(bands.includes(result.band), `${result.band} (score ${result.score.toFixed(2)})`);
        if (cap)
          assert.ok(
            capReasons(result).some((reason) => cap.test(reason)),
            capReasons(result).join('; '),
          );
        if (result.band === 'strong') assert.deepEqual(capReasons(result), []);
      }
    });
  }

  test('the twins are capped although their score reaches the strong threshold', () => {
    const result = scoreCandidate(
      person('Amy', 'Patel', '2001-06-15', 'M1 1AE'),
      person('Zoe', 'Patel', '2001-06-15', 'M1 1AE'),
    );
    assert.ok(result.score >= STRONG_THRESHOLD);
    assert.equal(result.band, 'possible');
    assert.equal(
      describeEvidence(result.evidence.at(-1)!),
      'band: capped at possible (twins guard: same surname and date of birth but different forenames)',
    );
  });

  test('swapped names show in the evidence and cost a little', () => {
    const swapped = scoreCandidate(person('Okonkwo', 'Sarah', '1990-01-02'), person('Sarah', 'Okonkwo', '1990-01-02'));
    const straight = scoreCandidate(person('Sarah', 'Okonkwo', '1990-01-02'), person('Sarah', 'Okonkwo', '1990-01-02'));
    assert.equal(line(swapped, 'name order')?.level, 'swapped');
    assert.equal(line(straight, 'name order'), undefined);
    assert.ok(swapped.score < straight.score);
  });

  test('a previous surname match shows in the evidence', () => {
    const result = scoreCandidate(
      person('Sarah', 'Jones', '1990-01-02'),
      person('Sarah', 'Smith', '1990-01-02', null, { previousSurnames: ['Jones'] }),
    );
    assert.equal(
      describeEvidence(line(result, 'surname')!),
      'surname: previous surname (Jones ~ Jones, previous surname) +4.6',
    );
  });

  test('an approximate age counts only where there is no date of birth to compare, and shows as evidence', () => {
    const candidate = person('Sarah', 'Okonkwo', '1990-01-02');
    const aged = (year: number) =>
      scoreCandidate(person('Sarah', 'Okonkwo', null, null, { birthYearEstimate: year }), candidate);
    const unaged = scoreCandidate(person('Sarah', 'Okonkwo', null), candidate);
    assert.equal(line(unaged, 'age'), undefined);
    assert.equal(line(aged(1991), 'age')?.level, 'close');
    assert.equal(describeEvidence(line(aged(1991), 'age')!), 'age: close (about 1991 ~ 1990) +2.9');
    assert.ok(aged(1991).score > unaged.score);
    assert.equal(line(aged(1994), 'age')?.level, 'near');
    assert.equal(line(aged(2000), 'age')?.level, 'different');
    assert.ok(aged(2000).score < unaged.score);
    // Never strong on an estimate: the date of birth is still missing.
    assert.notEqual(aged(1990).band, 'strong');
    // With a date on both sides, the estimate is not read.
    const dated = scoreCandidate(
      person('Sarah', 'Okonkwo', '1990-01-02', null, { birthYearEstimate: 2000 }),
      candidate,
    );
    assert.equal(line(dated, 'age'), undefined);
  });

  test('equal postcode keys read as the same postcode, never as the outward codes alone', () => {
    const result = scoreCandidate(
      person('Sarah', 'Okonkwo', '1990-01-02', 'ZE8', { postcodeKey: 'k1' }),
      person('Sarah', 'Okonkwo', '1990-01-02', 'ZE8', { postcodeKey: 'k1' }),
    );
    assert.equal(describeEvidence(line(result, 'address')!), 'address: exact (same postcode, in ZE8) +9.8');
    const apart = scoreCandidate(
      person('Sarah', 'Okonkwo', '1990-01-02', 'ZE8', { postcodeKey: 'k1' }),
      person('Sarah', 'Okonkwo', '1990-01-02', 'ZE8', { postcodeKey: 'k2' }),
    );
    assert.equal(describeEvidence(line(apart, 'address')!), 'address: outcode (ZE8 ~ ZE8) +2.3');
  });

  test('thresholds can be changed', () => {
    const query = person('Jon', 'Smyth', '1985-04-03');
    const candidate = person('Jonathan', 'Smith', '1985-03-04');
    assert.equal(scoreCandidate(query, candidate, { thresholds: { strong: 30, possible: 20 } }).band, 'none');
    assert.equal(scoreCandidate(query, candidate, { thresholds: { strong: 10, possible: 5 } }).band, 'strong');
  });
});

describe('strong band and the size of the area', () => {
  test('the threshold is log2(population) + 10, never below the fixed one', () => {
    assert.equal(strongThreshold(undefined), STRONG_THRESHOLD);
    assert.equal(strongThreshold(0), STRONG_THRESHOLD);
    assert.equal(strongThreshold(1000), STRONG_THRESHOLD);
    assert.ok(Math.abs(strongThreshold(100_000) - 26.61) < 0.01);
    assert.ok(Math.abs(strongThreshold(1_000_000) - 29.93) < 0.01);
  });

  test('exact names and date of birth are strong in a small area, possible in a million people without an address', () => {
    const query = person('Olivia', 'Brown', '1990-05-06', 'M1');
    const candidate = person('Olivia', 'Brown', '1990-05-06', 'SK4');
    assert.equal(scoreCandidate(query, candidate, { population: 5_000 }).band, 'strong');
    assert.equal(scoreCandidate(query, candidate, { population: 1_000_000 }).band, 'possible');
    // The same full postcode is the further evidence a million people need.
    const samePlace = person('Olivia', 'Brown', '1990-05-06', 'M1 1AE');
    const result = scoreCandidate(person('Olivia', 'Brown', '1990-05-06', 'M1 1AE'), samePlace, {
      population: 1_000_000,
    });
    assert.equal(result.band, 'strong');
  });
});

describe('scoreCandidate: term frequency', () => {
  test('a shared rare surname scores higher than a shared common one, all else equal', () => {
    const rare = scoreCandidate(person('Amy', 'Okonkwo', '1990-01-02'), person('Amy', 'Okonkwo', '1990-05-06'), {
      surnameFrequency: frequencies,
    });
    const common = scoreCandidate(person('Amy', 'Smith', '1990-01-02'), person('Amy', 'Smith', '1990-05-06'), {
      surnameFrequency: frequencies,
    });
    assert.ok(rare.score > common.score, `${rare.score} > ${common.score}`);
    assert.ok(line(rare, 'surname')!.weight > line(common, 'surname')!.weight);
  });

  test('without a frequency lookup both get the same weight', () => {
    const rare = scoreCandidate(person('Amy', 'Okonkwo', '1990-01-02'), person('Amy', 'Okonkwo', '1990-05-06'));
    const common = scoreCandidate(person('Amy', 'Smith', '1990-01-02'), person('Amy', 'Smith', '1990-05-06'));
    assert.equal(rare.score, common.score);
  });

  test('the adjustment applies to exact surname agreement only', () => {
    const result = scoreCandidate(person('Amy', 'Smyth', '1990-01-02'), person('Amy', 'Smith', '1990-01-02'), {
      surnameFrequency: () => 0.5,
    });
    assert.equal(line(result, 'surname')!.weight, DEFAULT_WEIGHTS.surname.jw_mid);
  });
});

describe('scoreCandidate: monotonicity', () => {
  const candidate = person('Jonathan', 'Smith', '1985-03-04', 'M1 1AE', {
    previousSurnames: ['Brown'],
  });

  // Each ladder changes one field of the query, from worse agreement to better; every other field stays as in `base`.
  const base = person('Jonathan', 'Smith', '1985-03-04', 'M1 1AE');
  const ladders: [string, PersonRecord[], (result: ScoreResult) => string, string[]][] = [
    [
      'forename',
      ['Amy', '', 'J', 'Jonatan', 'Jonny', 'Jonathan'].map((forenames) => ({ ...base, forenames })),
      (result) => result.vector.name.forename,
      ['different', 'missing', 'initial', 'jw_high', 'nickname', 'exact'],
    ],
    [
      'surname',
      ['Patel', '', 'Schmidt', 'Smyth', 'Smithe', 'Brown', 'Smith'].map((surname) => ({ ...base, surname })),
      (result) => result.vector.name.surname,
      ['different', 'missing', 'phonetic', 'jw_mid', 'jw_high', 'previous_surname', 'exact'],
    ],
    [
      'date of birth',
      ['1960-11-20', null, '1985-11-20', '1985-03-05', '1985-04-03', '1985-03-04'].map((dateOfBirth) => ({
        ...base,
        dateOfBirth,
      })),
      (result) => result.vector.dob,
      ['different', 'missing', 'year_only', 'one_digit_off', 'day_month_swapped', 'exact'],
    ],
    [
      'address',
      ['SW1A 1AA', null, 'M1 2AB', 'M1 1AE'].map((postcode) => ({ ...base, postcode })),
      (result) => result.vector.address,
      ['different', 'missing', 'outcode', 'exact'],
    ],
  ];
  for (const [field, ladder, levelOf, levels] of ladders) {
    test(`${field}: better agreement never lowers the score`, () => {
      const results = ladder.map((query) => scoreCandidate(query, candidate, { surnameFrequency: frequencies }));
      assert.deepEqual(results.map(levelOf), levels);
      const scores = results.map((result) => result.score);
      for (let i = 1; i < scores.length; i++) {
        assert.ok(scores[i]! > scores[i - 1]!, `step ${i}: ${scores.map((score) => score.toFixed(2)).join(', ')}`);
      }
    });
  }

  // Every pair from a small population, every field made equal to the candidate's in turn.
  const population: PersonRecord[] = [
    person('Jon', 'Smyth', '1985-04-03', 'M1 1AE'),
    person('Jonathan', 'Smith', '1985-03-04', 'M1 2AB'),
    person('Amy', 'Patel', '2001-06-15', 'M1 1AE'),
    person('Zoe', 'Patel', '2001-06-15', null),
    person('Sarah', 'Jones', '1990-01-02', 'LS1 4AP', { previousSurnames: ['Smith'] }),
    person('Okonkwo', 'Sarah', null, 'SW1A 1AA'),
    person('Sarah', 'Okonkwo', '1990-01-02', 'LS1 4AP'),
    person('J', 'Okonkwo', '1990-01-12', 'LS1 4AP', { aliases: [{ forenames: 'Sally', surname: 'Jones' }] }),
    person('Bill', 'Smith', '1958-11-30', null),
  ];
  const fields: [string, (query: PersonRecord, candidate: PersonRecord) => PersonRecord][] = [
    ['forenames', (query, target) => ({ ...query, forenames: target.forenames })],
    ['surname', (query, target) => ({ ...query, surname: target.surname })],
    ['date of birth', (query, target) => ({ ...query, dateOfBirth: target.dateOfBirth ?? query.dateOfBirth })],
    ['postcode', (query, target) => ({ ...query, postcode: target.postcode ?? query.postcode })],
  ];
  // Only where the names were read as recorded: when the best reading is crossed over, or through an alias or a
  // previous surname, copying the candidate's recorded forenames can make that reading worse, which is not an
  // improvement of the field.
  test('making one field equal to the candidate’s never lowers the score', () => {
    let checked = 0;
    for (const query of population) {
      for (const target of population) {
        const result = scoreCandidate(query, target, { surnameFrequency: frequencies });
        if (result.vector.name.source !== 'recorded') continue;
        const before = result.score;
        for (const [field, improve] of fields) {
          const after = scoreCandidate(improve(query, target), target, { surnameFrequency: frequencies }).score;
          assert.ok(
            after >= before - 1e-9,
            `${field}: ${JSON.stringify(query)} → ${JSON.stringify(target)}: ${before} then ${after}`,
          );
          checked++;
        }
      }
    }
    // Most pairs are read as recorded; the few that are not are the swapped, alias and previous-surname pairs.
    assert.ok(checked >= 0.85 * population.length * population.length * fields.length, String(checked));
  });
});

describe('describeEvidence', () => {
  const cases: [Evidence, string][] = [
    [
      { field: 'forename', level: 'nickname', weight: 4.91, detail: 'Jon ~ Jonathan' },
      'forename: nickname (Jon ~ Jonathan) +4.9',
    ],
    [
      { field: 'surname', level: 'different', weight: -4.28, detail: 'Smith ~ Patel' },
      'surname: different (Smith ~ Patel) -4.3',
    ],
    [
      { field: 'address', level: 'missing', weight: 0, detail: '(none) ~ M1 1AE' },
      'address: missing ((none) ~ M1 1AE) 0.0',
    ],
    [
      { field: 'band', level: 'capped_at_possible', weight: 0, detail: 'a date of birth is missing' },
      'band: capped at possible (a date of birth is missing)',
    ],
  ];
  for (const [evidence, expected] of cases) {
    test(expected, () => {
      assert.equal(describeEvidence(evidence), expected);
    });
  }
});
