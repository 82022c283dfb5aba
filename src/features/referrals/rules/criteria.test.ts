import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Criterion, CriteriaInput, RiskAssessment } from './criteria.ts';
import { evaluateCriteria } from './criteria.ts';
import { NATIONAL_DEFAULTS, resolveCriteriaSettings } from './settings.ts';
import type { CriteriaSettings } from './settings.ts';

const AREA_17 = resolveCriteriaSettings({ visibleHighRiskThreshold: 17 });
const RATIONALE = 'Non-fatal strangulation last week and the victim fears for her life.';
const RATIONALE_20 = 'Threats to kill her.';
const RATIONALE_19 = 'She is so terrified';

const checklist = (score: number): RiskAssessment => ({
  tool: 'dash_ric',
  version: '2009-safelives-paraphrase-1',
  score,
});
const dara = (result: 'high' | 'medium' | 'standard'): RiskAssessment => ({ tool: 'dara', version: '2024-1', result });

function input(overrides: Partial<CriteriaInput> = {}): CriteriaInput {
  return {
    assessment: checklist(0),
    professionalJudgement: { applied: false },
    recentIncidents: 0,
    isRepeat: false,
    ...overrides,
  };
}

function metCriteria(
  given: CriteriaInput,
  settings: CriteriaSettings = NATIONAL_DEFAULTS,
): Criterion[] | 'not eligible' {
  const result = evaluateCriteria(given, settings);
  assert.ok(result.ok, 'no validation errors');
  if (!result.eligible) {
    assert.deepEqual(result.met, []);
    assert.match(result.message, /^This referral does not meet any MARAC criterion: /);
    return 'not eligible';
  }
  assert.ok(result.met.length > 0);
  return result.met.map((m) => m.criterion);
}

describe('evaluateCriteria: which criteria are met', () => {
  const cases: [
    name: string,
    input: CriteriaInput,
    settings: CriteriaSettings,
    expected: Criterion[] | 'not eligible',
  ][] = [
    // Visible high risk at the national threshold (14) and at an area's 17.
    ['score 13, threshold 14', input({ assessment: checklist(13) }), NATIONAL_DEFAULTS, 'not eligible'],
    ['score 14, threshold 14', input({ assessment: checklist(14) }), NATIONAL_DEFAULTS, ['visible_high_risk']],
    ['score 15, threshold 14', input({ assessment: checklist(15) }), NATIONAL_DEFAULTS, ['visible_high_risk']],
    ['score 24, threshold 14', input({ assessment: checklist(24) }), NATIONAL_DEFAULTS, ['visible_high_risk']],
    ['score 0, threshold 14', input({ assessment: checklist(0) }), NATIONAL_DEFAULTS, 'not eligible'],
    ['score 14, threshold 17', input({ assessment: checklist(14) }), AREA_17, 'not eligible'],
    ['score 16, threshold 17', input({ assessment: checklist(16) }), AREA_17, 'not eligible'],
    ['score 17, threshold 17', input({ assessment: checklist(17) }), AREA_17, ['visible_high_risk']],
    ['score 18, threshold 17', input({ assessment: checklist(18) }), AREA_17, ['visible_high_risk']],

    // Professional judgement raises, never lowers.
    [
      'professional judgement below the threshold',
      input({ assessment: checklist(6), professionalJudgement: { applied: true, rationale: RATIONALE } }),
      NATIONAL_DEFAULTS,
      ['professional_judgement'],
    ],
    [
      'professional judgement with a rationale of exactly 20 characters',
      input({ professionalJudgement: { applied: true, rationale: `  ${RATIONALE_20}  ` } }),
      NATIONAL_DEFAULTS,
      ['professional_judgement'],
    ],
    [
      'professional judgement at 16 with threshold 17',
      input({ assessment: checklist(16), professionalJudgement: { applied: true, rationale: RATIONALE } }),
      AREA_17,
      ['professional_judgement'],
    ],
    [
      'professional judgement above the threshold: both recorded',
      input({ assessment: checklist(20), professionalJudgement: { applied: true, rationale: RATIONALE } }),
      NATIONAL_DEFAULTS,
      ['visible_high_risk', 'professional_judgement'],
    ],
    [
      'no professional judgement above the threshold: the score still lists it',
      input({ assessment: checklist(20), professionalJudgement: { applied: false } }),
      NATIONAL_DEFAULTS,
      ['visible_high_risk'],
    ],
    [
      'a rationale without the box ticked is not professional judgement',
      input({ assessment: checklist(5), professionalJudgement: { applied: false, rationale: RATIONALE } }),
      NATIONAL_DEFAULTS,
      'not eligible',
    ],

    // Potential escalation.
    ['2 incidents, threshold 3', input({ recentIncidents: 2 }), NATIONAL_DEFAULTS, 'not eligible'],
    ['3 incidents, threshold 3', input({ recentIncidents: 3 }), NATIONAL_DEFAULTS, ['potential_escalation']],
    ['7 incidents, threshold 3', input({ recentIncidents: 7 }), NATIONAL_DEFAULTS, ['potential_escalation']],
    [
      '3 incidents, threshold 4',
      input({ recentIncidents: 3 }),
      resolveCriteriaSettings({ escalationIncidentThreshold: 4 }),
      'not eligible',
    ],

    // Police DARA results.
    ['DARA high', input({ assessment: dara('high') }), NATIONAL_DEFAULTS, ['visible_high_risk']],
    ['DARA high, threshold 17', input({ assessment: dara('high') }), AREA_17, ['visible_high_risk']],
    ['DARA medium', input({ assessment: dara('medium') }), NATIONAL_DEFAULTS, 'not eligible'],
    ['DARA standard', input({ assessment: dara('standard') }), NATIONAL_DEFAULTS, 'not eligible'],
    [
      'DARA medium with professional judgement',
      input({ assessment: dara('medium'), professionalJudgement: { applied: true, rationale: RATIONALE } }),
      NATIONAL_DEFAULTS,
      ['professional_judgement'],
    ],

    // Another tool counts only through professional judgement.
    [
      "young people's checklist, high",
      input({ assessment: { tool: 'other', name: "Young people's RIC", version: '2019', result: 'high' } }),
      NATIONAL_DEFAULTS,
      'not eligible',
    ],
    [
      "young people's checklist, high, with professional judgement",
      input({
        assessment: { tool: 'other', name: "Young people's RIC", version: '2019', result: 'high' },
        professionalJudgement: { applied: true, rationale: RATIONALE },
      }),
      NATIONAL_DEFAULTS,
      ['professional_judgement'],
    ],

    // A repeat is heard whatever the score.
    ['repeat with score 2', input({ assessment: checklist(2), isRepeat: true }), NATIONAL_DEFAULTS, ['repeat']],
    ['repeat with score 0, threshold 17', input({ isRepeat: true }), AREA_17, ['repeat']],
    [
      'repeat with DARA standard',
      input({ assessment: dara('standard'), isRepeat: true }),
      NATIONAL_DEFAULTS,
      ['repeat'],
    ],
    ['repeat with no assessment', input({ assessment: null, isRepeat: true }), NATIONAL_DEFAULTS, ['repeat']],
    ['no assessment, nothing else', input({ assessment: null }), NATIONAL_DEFAULTS, 'not eligible'],

    // Everything at once, in the fixed order.
    [
      'every criterion',
      input({
        assessment: checklist(19),
        professionalJudgement: { applied: true, rationale: RATIONALE },
        recentIncidents: 4,
        isRepeat: true,
      }),
      NATIONAL_DEFAULTS,
      ['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat'],
    ],
  ];
  for (const [name, given, settings, expected] of cases) {
    test(`${name}: ${Array.isArray(expected) ? expected.join(', ') : expected}`, () => {
      assert.deepEqual(metCriteria(given, settings), expected);
    });
  }
});

describe('evaluateCriteria: reasons and messages', () => {
  test('gives a reason for each criterion met', () => {
    const result = evaluateCriteria(
      input({
        assessment: checklist(15),
        professionalJudgement: { applied: true, rationale: RATIONALE },
        recentIncidents: 3,
        isRepeat: true,
      }),
      NATIONAL_DEFAULTS,
    );
    assert.ok(result.ok && result.eligible);
    assert.deepEqual(result.met, [
      { criterion: 'visible_high_risk', reason: "The checklist score is 15, at or above this area's threshold of 14." },
      {
        criterion: 'professional_judgement',
        reason: 'The referrer used professional judgement and gave a written rationale.',
      },
      {
        criterion: 'potential_escalation',
        reason: "3 incidents in the past 12 months, at or above this area's threshold of 3.",
      },
      {
        criterion: 'repeat',
        reason:
          'It is a repeat: a further incident within 12 months of the previous MARAC referral, so it is heard whatever the score.',
      },
    ]);
  });

  test('counts one incident in the singular when an area lists on one', () => {
    const settings = resolveCriteriaSettings({ escalationIncidentThreshold: 1 });
    const result = evaluateCriteria(input({ recentIncidents: 1 }), settings);
    assert.ok(result.ok && result.eligible);
    assert.deepEqual(result.met, [
      {
        criterion: 'potential_escalation',
        reason: "1 incident in the past 12 months, at or above this area's threshold of 1.",
      },
    ]);
  });

  test('the reason for a DARA high result says it counts as visible high risk', () => {
    const result = evaluateCriteria(input({ assessment: dara('high') }), NATIONAL_DEFAULTS);
    assert.ok(result.ok && result.eligible);
    assert.deepEqual(result.met, [
      {
        criterion: 'visible_high_risk',
        reason: 'The police DARA result is high risk, which counts as visible high risk.',
      },
    ]);
  });

  test('the rationale itself is not repeated in the reason', () => {
    const result = evaluateCriteria(
      input({ professionalJudgement: { applied: true, rationale: RATIONALE } }),
      NATIONAL_DEFAULTS,
    );
    assert.ok(result.ok && result.eligible);
    assert.ok(result.met.every((m) => !m.reason.includes('strangulation')));
  });

  const messages: [name: string, input: CriteriaInput, settings: CriteriaSettings, message: string][] = [
    [
      'a score below the threshold and 1 incident',
      input({ assessment: checklist(9), recentIncidents: 1 }),
      NATIONAL_DEFAULTS,
      "This referral does not meet any MARAC criterion: the checklist score is 9, below this area's threshold of 14; " +
        'no professional judgement was recorded; 1 incident in the past 12 months is below 3; it is not a repeat.',
    ],
    [
      'an area threshold of 17 and 2 incidents',
      input({ assessment: checklist(16), recentIncidents: 2 }),
      AREA_17,
      "This referral does not meet any MARAC criterion: the checklist score is 16, below this area's threshold of 17; " +
        'no professional judgement was recorded; 2 incidents in the past 12 months are below 3; it is not a repeat.',
    ],
    [
      'no incidents',
      input({ assessment: checklist(3) }),
      NATIONAL_DEFAULTS,
      "This referral does not meet any MARAC criterion: the checklist score is 3, below this area's threshold of 14; " +
        'no professional judgement was recorded; no incidents were recorded in the past 12 months; it is not a repeat.',
    ],
    [
      'a DARA medium result',
      input({ assessment: dara('medium'), recentIncidents: 1 }),
      NATIONAL_DEFAULTS,
      'This referral does not meet any MARAC criterion: the police DARA result is medium, not high; ' +
        'no professional judgement was recorded; 1 incident in the past 12 months is below 3; it is not a repeat.',
    ],
    [
      'another tool',
      input({ assessment: { tool: 'other', name: " Young people's RIC ", version: '2019', result: 'high' } }),
      NATIONAL_DEFAULTS,
      "This referral does not meet any MARAC criterion: the Young people's RIC result (high) counts only through " +
        'professional judgement; no professional judgement was recorded; no incidents were recorded in the past ' +
        '12 months; it is not a repeat.',
    ],
    [
      'no assessment and a 6-month escalation window',
      input({ assessment: null, recentIncidents: 1 }),
      resolveCriteriaSettings({ escalationWindowMonths: 6 }),
      'This referral does not meet any MARAC criterion: no risk assessment was recorded; ' +
        'no professional judgement was recorded; 1 incident in the past 6 months is below 3; it is not a repeat.',
    ],
  ];
  for (const [name, given, settings, message] of messages) {
    test(`says why it is not eligible: ${name}`, () => {
      const result = evaluateCriteria(given, settings);
      assert.ok(result.ok && !result.eligible);
      assert.equal(result.message, message);
    });
  }
});

describe('evaluateCriteria: input it cannot judge', () => {
  test('the boundary rationales are 19 and 20 characters long', () => {
    assert.equal(RATIONALE_19.length, 19);
    assert.equal(RATIONALE_20.length, 20);
  });

  const cases: [name: string, input: CriteriaInput, errors: { field: string; message: string }[]][] = [
    [
      'professional judgement without a rationale',
      input({ professionalJudgement: { applied: true } }),
      [{ field: 'professionalJudgement.rationale', message: 'Enter why you are referring on professional judgement' }],
    ],
    [
      'professional judgement with a blank rationale',
      input({ professionalJudgement: { applied: true, rationale: '   \n ' } }),
      [{ field: 'professionalJudgement.rationale', message: 'Enter why you are referring on professional judgement' }],
    ],
    [
      'professional judgement with a rationale of 19 characters',
      input({ professionalJudgement: { applied: true, rationale: `   ${RATIONALE_19}   ` } }),
      [
        {
          field: 'professionalJudgement.rationale',
          message: 'Why you are referring on professional judgement must be 20 characters or more',
        },
      ],
    ],
    [
      'a score above 24',
      input({ assessment: checklist(25) }),
      [{ field: 'assessment', message: 'Enter the checklist score as a whole number from 0 to 24' }],
    ],
    [
      'a negative score',
      input({ assessment: checklist(-1) }),
      [{ field: 'assessment', message: 'Enter the checklist score as a whole number from 0 to 24' }],
    ],
    [
      'a fractional score',
      input({ assessment: checklist(13.5) }),
      [{ field: 'assessment', message: 'Enter the checklist score as a whole number from 0 to 24' }],
    ],
    [
      'a DARA result that is not a level',
      input({ assessment: { tool: 'dara', version: '2024-1', result: 'very high' } as unknown as RiskAssessment }),
      [{ field: 'assessment', message: 'Select the result of the risk assessment: high, medium or standard' }],
    ],
    [
      'another tool without a name, version or valid result',
      input({ assessment: { tool: 'other', name: ' ', version: '', result: 'severe' as 'high' } }),
      [
        { field: 'assessment', message: 'Enter the name of the risk assessment tool' },
        { field: 'assessment', message: 'Enter the version of the risk assessment tool' },
        { field: 'assessment', message: 'Select the result of the risk assessment: high, medium or standard' },
      ],
    ],
    [
      'a negative number of incidents',
      input({ recentIncidents: -1 }),
      [
        {
          field: 'recentIncidents',
          message: 'Enter the number of incidents in the past 12 months as a whole number, like 0 or 3',
        },
      ],
    ],
    [
      'a fractional number of incidents',
      input({ recentIncidents: 2.5 }),
      [
        {
          field: 'recentIncidents',
          message: 'Enter the number of incidents in the past 12 months as a whole number, like 0 or 3',
        },
      ],
    ],
  ];
  for (const [name, given, errors] of cases) {
    test(`refuses ${name}`, () => {
      assert.deepEqual(evaluateCriteria(given, NATIONAL_DEFAULTS), { ok: false, errors });
    });
  }

  test('refuses professional judgement without a rationale even when the score or a repeat would list it', () => {
    const result = evaluateCriteria(
      input({
        assessment: checklist(20),
        isRepeat: true,
        professionalJudgement: { applied: true, rationale: 'short' },
      }),
      NATIONAL_DEFAULTS,
    );
    assert.ok(!result.ok);
  });

  test("uses the area's minimum rationale length", () => {
    const settings = resolveCriteriaSettings({ professionalJudgementMinRationaleLength: 5 });
    const result = evaluateCriteria(
      input({ professionalJudgement: { applied: true, rationale: 'Stalking' } }),
      settings,
    );
    assert.ok(result.ok && result.eligible);
  });
});
