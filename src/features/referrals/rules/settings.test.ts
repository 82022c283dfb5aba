import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NATIONAL_DEFAULTS, resolveCriteriaSettings } from './settings.ts';

describe('criteria settings', () => {
  test('the national defaults are those of the SafeLives guidance', () => {
    assert.deepEqual(NATIONAL_DEFAULTS, {
      visibleHighRiskThreshold: 14,
      escalationIncidentThreshold: 3,
      escalationWindowMonths: 12,
      repeatWindowMonths: 12,
      professionalJudgementMinRationaleLength: 20,
    });
    assert.ok(Object.isFrozen(NATIONAL_DEFAULTS));
  });

  test("an area's overrides are laid over the defaults", () => {
    assert.deepEqual(resolveCriteriaSettings(), NATIONAL_DEFAULTS);
    assert.deepEqual(resolveCriteriaSettings({ visibleHighRiskThreshold: 17 }), {
      ...NATIONAL_DEFAULTS,
      visibleHighRiskThreshold: 17,
    });
    assert.equal(resolveCriteriaSettings({ escalationIncidentThreshold: 4 }).escalationIncidentThreshold, 4);
  });

  test('refuses values that are not whole numbers within limits', () => {
    const bad: Partial<Record<keyof typeof NATIONAL_DEFAULTS, number>>[] = [
      { visibleHighRiskThreshold: 0 },
      { visibleHighRiskThreshold: 25 },
      { visibleHighRiskThreshold: 14.5 },
      { visibleHighRiskThreshold: Number.NaN },
      { escalationIncidentThreshold: 0 },
      { repeatWindowMonths: 0 },
      { repeatWindowMonths: -12 },
      { escalationWindowMonths: Number.POSITIVE_INFINITY },
      { professionalJudgementMinRationaleLength: 0 },
    ];
    for (const overrides of bad) {
      assert.throws(() => resolveCriteriaSettings(overrides), RangeError, JSON.stringify(overrides));
    }
  });
});
