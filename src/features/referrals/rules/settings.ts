// Per-area settings for the referral rules, with the national defaults from SafeLives guidance.
// Each MARAC area may override any of them (for example a visible high risk threshold of 17).

export interface CriteriaSettings {
  /** "Yes" answers on the 24-question checklist at or above which a referral is visible high risk. */
  readonly visibleHighRiskThreshold: number;
  /** Incidents within the escalation window at or above which a referral is potential escalation. */
  readonly escalationIncidentThreshold: number;
  /** The window, in months, over which incidents are counted for potential escalation. */
  readonly escalationWindowMonths: number;
  /** A further referral within this many months of the previous MARAC referral is a repeat. */
  readonly repeatWindowMonths: number;
  /** Professional judgement needs a written rationale of at least this many characters (spaces trimmed). */
  readonly professionalJudgementMinRationaleLength: number;
}

export const NATIONAL_DEFAULTS: CriteriaSettings = Object.freeze({
  visibleHighRiskThreshold: 14,
  escalationIncidentThreshold: 3,
  escalationWindowMonths: 12,
  repeatWindowMonths: 12,
  professionalJudgementMinRationaleLength: 20,
});

const LIMITS: { readonly [K in keyof CriteriaSettings]: readonly [min: number, max: number] } = {
  // The checklist has 24 questions: a threshold above 24 could never be met, 0 would list every referral.
  visibleHighRiskThreshold: [1, 24],
  escalationIncidentThreshold: [1, 100],
  escalationWindowMonths: [1, 120],
  repeatWindowMonths: [1, 120],
  professionalJudgementMinRationaleLength: [1, 1000],
};

/**
 * An area's settings: the national defaults with the area's overrides laid over them. Refuses (RangeError) a value
 * that is not a whole number within its limits, so a mistyped setting cannot silently list or drop referrals.
 */
export function resolveCriteriaSettings(overrides: Partial<CriteriaSettings> = {}): CriteriaSettings {
  const settings = { ...NATIONAL_DEFAULTS };
  for (const key of Object.keys(LIMITS) as (keyof CriteriaSettings)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${key} must be a whole number from ${min} to ${max}`);
    }
    settings[key] = value;
  }
  return Object.freeze(settings);
}
