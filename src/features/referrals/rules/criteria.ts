// The MARAC referral criteria as a pure function of what the referral records and the area's settings.

import { getChecklist } from './checklist.ts';
import type { CriteriaSettings } from './settings.ts';

export const CRITERIA = ['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat'] as const;
export type Criterion = (typeof CRITERIA)[number];

export const RISK_LEVELS = ['high', 'medium', 'standard'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The risk assessment the referral rests on, kept with its tool and version. */
export type RiskAssessment =
  /** The 24-question checklist: the score is its count of "yes" answers (see scoring.ts). */
  | { readonly tool: 'dash_ric'; readonly version: string; readonly score: number }
  /** A police DARA (the College of Policing's replacement for the police DASH form): a graded result, no score. */
  | { readonly tool: 'dara'; readonly version: string; readonly result: RiskLevel }
  /** Any other tool (the young people's or older people's checklist, a local tool), named by the referrer. */
  | { readonly tool: 'other'; readonly name: string; readonly version: string; readonly result: RiskLevel };

export interface CriteriaInput {
  /** null when no assessment was recorded (a repeat may be referred without a new checklist). */
  readonly assessment: RiskAssessment | null;
  readonly professionalJudgement: { readonly applied: boolean; readonly rationale?: string };
  /** Incidents reported within the area's escalation window (12 months by default), as counted by the caller. */
  readonly recentIncidents: number;
  /** Whether the referral is a repeat (see repeat.ts). */
  readonly isRepeat: boolean;
}

export interface MetCriterion {
  readonly criterion: Criterion;
  readonly reason: string;
}

export interface CriteriaError {
  readonly field: 'assessment' | 'professionalJudgement.rationale' | 'recentIncidents';
  readonly message: string;
}

export type CriteriaEvaluation =
  | { readonly ok: true; readonly eligible: true; readonly met: readonly MetCriterion[] }
  | { readonly ok: true; readonly eligible: false; readonly met: readonly []; readonly message: string }
  | { readonly ok: false; readonly errors: readonly CriteriaError[] };

/**
 * Which MARAC criteria a referral meets, each with a reason, in the order of CRITERIA. Eligible when any is met;
 * otherwise a message names every criterion and why it is not met. Input the rules cannot judge (a score outside
 * the checklist, professional judgement without a written rationale) gives errors instead of a decision.
 *
 * Professional judgement may raise but never lower: it can make a referral eligible below the threshold, and
 * nothing in the input can take away a criterion the score, the DARA result, the incidents or a repeat meet.
 */
export function evaluateCriteria(input: CriteriaInput, settings: CriteriaSettings): CriteriaEvaluation {
  const errors = validate(input, settings);
  if (errors.length > 0) return { ok: false, errors };

  const met: MetCriterion[] = [];
  const notMet: string[] = [];
  const window = pastMonths(settings.escalationWindowMonths);
  const { assessment, professionalJudgement, recentIncidents, isRepeat } = input;

  if (assessment === null) {
    notMet.push('no risk assessment was recorded');
  } else if (assessment.tool === 'dash_ric') {
    const threshold = settings.visibleHighRiskThreshold;
    if (assessment.score >= threshold) {
      met.push({
        criterion: 'visible_high_risk',
        reason: `The checklist score is ${assessment.score}, at or above this area's threshold of ${threshold}.`,
      });
    } else {
      notMet.push(`the checklist score is ${assessment.score}, below this area's threshold of ${threshold}`);
    }
  } else if (assessment.tool === 'dara') {
    // A DARA grades risk as high, medium or standard and has no count of "yes" answers to set against the area's
    // threshold. Police forces using it refer its "high" cases to MARAC as they did high-risk DASH cases, so a DARA
    // "high" stands in for the score: it meets visible high risk. "Medium" and "standard" do not, though the
    // officer may still refer on professional judgement.
    if (assessment.result === 'high') {
      met.push({
        criterion: 'visible_high_risk',
        reason: 'The police DARA result is high risk, which counts as visible high risk.',
      });
    } else {
      notMet.push(`the police DARA result is ${assessment.result}, not high`);
    }
  } else {
    // Another tool's levels are not calibrated against this area's threshold (the young people's checklist, for
    // one, has no threshold at all), so its result never meets visible high risk by itself: the referrer refers
    // on professional judgement and says what the tool found in the rationale.
    notMet.push(
      `the ${assessment.name.trim()} result (${assessment.result}) counts only through professional judgement`,
    );
  }

  if (professionalJudgement.applied) {
    met.push({
      criterion: 'professional_judgement',
      reason: 'The referrer used professional judgement and gave a written rationale.',
    });
  } else {
    notMet.push('no professional judgement was recorded');
  }

  const incidentThreshold = settings.escalationIncidentThreshold;
  if (recentIncidents >= incidentThreshold) {
    met.push({
      criterion: 'potential_escalation',
      reason: `${incidents(recentIncidents)} in the ${window}, at or above this area's threshold of ${incidentThreshold}.`,
    });
  } else if (recentIncidents === 0) {
    notMet.push(`no incidents were recorded in the ${window}`);
  } else {
    const verb = recentIncidents === 1 ? 'is' : 'are';
    notMet.push(`${incidents(recentIncidents)} in the ${window} ${verb} below ${incidentThreshold}`);
  }

  if (isRepeat) {
    met.push({
      criterion: 'repeat',
      reason:
        `It is a repeat: a further incident within ${months(settings.repeatWindowMonths)} ` +
        'of the previous MARAC referral, so it is heard whatever the score.',
    });
  } else {
    notMet.push('it is not a repeat');
  }

  if (met.length > 0) return { ok: true, eligible: true, met };
  return {
    ok: true,
    eligible: false,
    met: [],
    message: `This referral does not meet any MARAC criterion: ${notMet.join('; ')}.`,
  };
}

function validate(input: CriteriaInput, settings: CriteriaSettings): CriteriaError[] {
  const errors: CriteriaError[] = [];
  const { assessment, professionalJudgement, recentIncidents } = input;

  // In the order the form asks: tool name, version, then the score or result.
  if (assessment !== null) {
    if (assessment.tool === 'other' && assessment.name.trim() === '') {
      errors.push({ field: 'assessment', message: 'Enter the name of the risk assessment tool' });
    }
    if (assessment.version.trim() === '') {
      errors.push({ field: 'assessment', message: 'Enter the version of the risk assessment tool' });
    }
    if (assessment.tool === 'dash_ric') {
      // A checklist version we hold bounds the score by its number of questions; an unknown one by the 24 of Dash RIC.
      const max = getChecklist(assessment.tool, assessment.version)?.questions.length ?? 24;
      if (!Number.isInteger(assessment.score) || assessment.score < 0 || assessment.score > max) {
        errors.push({ field: 'assessment', message: `Enter the checklist score as a whole number from 0 to ${max}` });
      }
    } else if (!(RISK_LEVELS as readonly string[]).includes(assessment.result)) {
      errors.push({
        field: 'assessment',
        message: 'Select the result of the risk assessment: high, medium or standard',
      });
    }
  }

  if (professionalJudgement.applied) {
    const rationale = (professionalJudgement.rationale ?? '').trim();
    const min = settings.professionalJudgementMinRationaleLength;
    if (rationale === '') {
      errors.push({
        field: 'professionalJudgement.rationale',
        message: 'Enter why you are referring on professional judgement',
      });
    } else if ([...rationale].length < min) {
      errors.push({
        field: 'professionalJudgement.rationale',
        message: `Why you are referring on professional judgement must be ${min} characters or more`,
      });
    }
  }

  if (!Number.isInteger(recentIncidents) || recentIncidents < 0) {
    errors.push({
      field: 'recentIncidents',
      message: `Enter the number of incidents in the ${pastMonths(settings.escalationWindowMonths)} as a whole number, like 0 or 3`,
    });
  }
  return errors;
}

function incidents(count: number): string {
  return count === 1 ? '1 incident' : `${count} incidents`;
}

function months(count: number): string {
  return count === 1 ? '1 month' : `${count} months`;
}

function pastMonths(count: number): string {
  return count === 1 ? 'past month' : `past ${count} months`;
}
