import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PreviousReferral, RepeatCandidate } from './repeat.ts';
import { findRepeat, REPEAT_DEFINITION_VERSION, repeatWindowEnds } from './repeat.ts';
import { NATIONAL_DEFAULTS, resolveCriteriaSettings } from './settings.ts';

const referral = (date: string, perpetratorIds = ['p1'], victimId = 'v1'): RepeatCandidate => ({
  date,
  victimId,
  perpetratorIds,
});
const previous = (id: string, date: string, perpetratorIds = ['p1'], victimId = 'v1'): PreviousReferral => ({
  id,
  date,
  victimId,
  perpetratorIds,
});

describe('findRepeat', () => {
  const cases: [name: string, next: RepeatCandidate, history: PreviousReferral[], expected: string | null][] = [
    ['same victim and perpetrator, 6 months later', referral('2024-11-10'), [previous('r1', '2024-05-10')], 'r1'],
    [
      'exactly 12 months later (the anniversary is inside)',
      referral('2025-05-10'),
      [previous('r1', '2024-05-10')],
      'r1',
    ],
    ['12 months and a day later', referral('2025-05-11'), [previous('r1', '2024-05-10')], null],
    ['two years later', referral('2026-05-10'), [previous('r1', '2024-05-10')], null],
    [
      'leap day, then 2025-02-28 (the clamped anniversary)',
      referral('2025-02-28'),
      [previous('r1', '2024-02-29')],
      'r1',
    ],
    ['leap day, then 2025-03-01', referral('2025-03-01'), [previous('r1', '2024-02-29')], null],
    ['2023-02-28, then leap day 2024-02-29 (a day over)', referral('2024-02-29'), [previous('r1', '2023-02-28')], null],
    ['2023-03-01, then leap day 2024-02-29', referral('2024-02-29'), [previous('r1', '2023-03-01')], 'r1'],
    ['31 December, then 31 December a year on', referral('2024-12-31'), [previous('r1', '2023-12-31')], 'r1'],
    ['31 December, then 1 January a year and a day on', referral('2025-01-01'), [previous('r1', '2023-12-31')], null],
    ['the same day', referral('2024-05-10'), [previous('r1', '2024-05-10')], 'r1'],
    ['a previous referral dated after the new one', referral('2024-05-10'), [previous('r1', '2024-05-11')], null],
    ['a different perpetrator: a new case', referral('2024-08-01', ['p2']), [previous('r1', '2024-05-10')], null],
    [
      'a different victim, same perpetrator',
      referral('2024-08-01', ['p1'], 'v2'),
      [previous('r1', '2024-05-10')],
      null,
    ],
    [
      'two perpetrators now, one of them before',
      referral('2024-08-01', ['p1', 'p2']),
      [previous('r1', '2024-05-10', ['p2'])],
      'r1',
    ],
    [
      'one perpetrator now, two before',
      referral('2024-08-01', ['p1']),
      [previous('r1', '2024-05-10', ['p3', 'p1'])],
      'r1',
    ],
    [
      'two perpetrators now and before, neither the same',
      referral('2024-08-01', ['p1', 'p2']),
      [previous('r1', '2024-05-10', ['p3', 'p4'])],
      null,
    ],
    ['no perpetrator recorded now', referral('2024-08-01', []), [previous('r1', '2024-05-10')], null],
    ['no perpetrator recorded before', referral('2024-08-01'), [previous('r1', '2024-05-10', [])], null],
    ['empty ids never match', referral('2024-08-01', [''], ''), [previous('r1', '2024-05-10', [''], '')], null],
    ['no history', referral('2024-08-01'), [], null],
    [
      'several qualify: the most recent, whatever the order given',
      referral('2024-08-01'),
      [previous('r2', '2024-03-01'), previous('r3', '2024-07-01'), previous('r1', '2023-09-01')],
      'r3',
    ],
    [
      'a chain: within 12 months of the last referral, not the first',
      referral('2025-06-01'),
      [previous('r1', '2023-12-01'), previous('r2', '2024-11-01')],
      'r2',
    ],
    [
      'the most recent is with another perpetrator: the older one with this perpetrator',
      referral('2024-08-01'),
      [previous('r1', '2024-02-01'), previous('r2', '2024-07-01', ['p9'])],
      'r1',
    ],
    [
      'the most recent is a different victim: the older one',
      referral('2024-08-01'),
      [previous('r1', '2024-02-01'), previous('r2', '2024-07-01', ['p1'], 'v2')],
      'r1',
    ],
    [
      'two on the same day: the greater id (order given a, b)',
      referral('2024-08-01'),
      [previous('a', '2024-07-01'), previous('b', '2024-07-01')],
      'b',
    ],
    [
      'two on the same day: the greater id (order given b, a)',
      referral('2024-08-01'),
      [previous('b', '2024-07-01'), previous('a', '2024-07-01')],
      'b',
    ],
  ];
  for (const [name, next, history, expected] of cases) {
    test(`${name}: ${expected ?? 'not a repeat'}`, () => {
      const finding = findRepeat(next, history, NATIONAL_DEFAULTS);
      assert.equal(finding.repeatOf?.id ?? null, expected);
      assert.equal(finding.definitionVersion, REPEAT_DEFINITION_VERSION);
      assert.equal(finding.windowMonths, 12);
    });
  }

  test("uses the area's repeat window", () => {
    const sixMonths = resolveCriteriaSettings({ repeatWindowMonths: 6 });
    const history = [previous('r1', '2024-01-31')];
    assert.equal(findRepeat(referral('2024-07-31'), history, sixMonths).repeatOf?.id, 'r1');
    assert.equal(findRepeat(referral('2024-08-01'), history, sixMonths).repeatOf, null);
    assert.equal(findRepeat(referral('2024-08-01'), history, sixMonths).windowMonths, 6);
  });

  test('returns the previous referral as given, with any extra fields', () => {
    const row = { ...previous('r1', '2024-05-10'), areaId: 'area-7' };
    const finding = findRepeat(referral('2024-06-10'), [row], NATIONAL_DEFAULTS);
    assert.equal(finding.repeatOf, row);
    assert.equal(finding.repeatOf?.areaId, 'area-7');
  });

  test('returns the definition version with a decision that is not a repeat too', () => {
    assert.deepEqual(findRepeat(referral('2024-06-10'), [], NATIONAL_DEFAULTS), {
      repeatOf: null,
      definitionVersion: 'safelives-2023-1',
      windowMonths: 12,
    });
  });

  test('refuses dates that are not real YYYY-MM-DD dates', () => {
    assert.throws(() => findRepeat(referral('2025-02-29'), [], NATIONAL_DEFAULTS), RangeError);
    assert.throws(() => findRepeat(referral('10/05/2024'), [], NATIONAL_DEFAULTS), RangeError);
    assert.throws(
      () => findRepeat(referral('2024-06-10'), [previous('r1', '2024-5-10')], NATIONAL_DEFAULTS),
      RangeError,
    );
  });
});

describe('repeatWindowEnds', () => {
  const cases: [from: string, ends: string][] = [
    ['2024-05-10', '2025-05-10'],
    ['2024-02-29', '2025-02-28'],
    ['2023-12-31', '2024-12-31'],
  ];
  for (const [from, ends] of cases) {
    test(`a referral of ${from} can be repeated up to and including ${ends}`, () => {
      assert.equal(repeatWindowEnds(from, NATIONAL_DEFAULTS), ends);
    });
  }
});
