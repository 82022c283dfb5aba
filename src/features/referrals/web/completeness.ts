// What each section of the referral still needs before it can be submitted, and so each task's status.
import type { AreaRules } from '../area-rules.ts';
import type { ReferralView } from '../queries.ts';
import { CURRENT_CHECKLIST, getChecklist } from '../rules/checklist.ts';

export type Missing = { message: string; href: string };
export type TaskStatus = 'not_started' | 'in_progress' | 'completed';
export type Task = { slug: string; title: string; status: TaskStatus; missing: Missing[] };

const TITLES: [slug: string, title: string][] = [
  ['about-you', 'About you'],
  ['victim', 'The victim'],
  ['safe-contact', 'Address and safe contact'],
  ['consent', 'Consent and the victim’s wishes'],
  ['perpetrators', 'Perpetrators'],
  ['children', 'Children'],
  ['household', 'Other household members at risk'],
  ['risk', 'Risk assessment'],
  ['criteria', 'Referral criteria'],
  ['narrative', 'What happened'],
];

/** Every task with what it still needs; a task is started once anything in it is answered. */
export function tasks(view: ReferralView, rules: AreaRules): Task[] {
  const href = (slug: string, field?: string) => `/referrals/${view.id}/${slug}${field ? `#${field}` : ''}`;
  const a = view.answers;
  const d = view.details;
  const people = (role: string) => view.people.filter((p) => p.role === role);
  const victim = people('victim')[0];
  const contact = view.safeContact !== null && !('redacted' in view.safeContact) ? view.safeContact : null;
  const checks: Record<string, { started: boolean; missing: Missing[] }> = {};
  const need = (slug: string, started: boolean, list: [boolean, string, string?][]) => {
    checks[slug] = {
      started,
      missing: list.filter(([ok]) => !ok).map(([, message, field]) => ({ message, href: href(slug, field) })),
    };
  };

  need('about-you', Boolean(d.referrerJobTitle || d.referrerPhone || a.referrerWillAttend !== undefined), [
    [Boolean(d.referrerJobTitle), 'Enter your role or job title', 'referrerJobTitle'],
    [Boolean(d.referrerPhone), 'Enter your work phone number', 'referrerPhone'],
    [a.referrerWillAttend !== undefined, 'Say whether you will attend the MARAC meeting', 'referrerWillAttend'],
    ...(rules.requiresManagerSignOff
      ? ([
          [Boolean(d.managerName), "Enter your line manager's name", 'managerName'],
          [
            Boolean(a.managerSignOffDate),
            'Enter the date your line manager signed the referral off',
            'managerSignOffDate-day',
          ],
        ] as [boolean, string, string][])
      : []),
  ]);

  const va = victim?.attributes ?? {};
  need('victim', Boolean(victim), [
    [Boolean(victim), "Enter the victim's name", 'givenNames'],
    [
      Boolean(victim?.dateOfBirth) || va.approximateAge !== undefined,
      "Enter the victim's date of birth or approximate age",
      'dateOfBirth-day',
    ],
    [va.gender !== undefined, "Select the victim's gender", 'gender'],
    [a.interpreterNeeded !== undefined, 'Say whether the victim needs an interpreter', 'interpreterNeeded'],
  ]);

  need('safe-contact', a.inRefuge !== undefined || Boolean(view.victimAddress) || contact !== null, [
    [a.inRefuge !== undefined, 'Say whether the victim is in a refuge', 'inRefuge'],
    [a.inRefuge !== false || Boolean(view.victimAddress), "Enter the victim's current address", 'victimAddress'],
    [contact?.safeToCall !== undefined, 'Say whether it is safe to call the victim', 'safeToCall'],
    [contact?.safeToLeaveMessage !== undefined, 'Say whether it is safe to leave a message', 'safeToLeaveMessage'],
  ]);

  need('consent', a.victimAware !== undefined || a.consentGiven !== undefined || Boolean(d.wants || d.fears), [
    [a.victimAware !== undefined, 'Say whether the victim is aware of the referral', 'victimAware'],
    [
      a.victimAware !== false || Boolean(d.notAwareReason),
      'Enter why the victim is not aware of the referral',
      'notAwareReason',
    ],
    [a.consentGiven !== undefined, 'Say whether the victim consented to sharing information', 'consentGiven'],
    [
      a.consentGiven !== false || a.lawfulBasis !== undefined,
      'Select the lawful basis for sharing without consent',
      'lawfulBasis',
    ],
    [
      a.consentGiven !== false || Boolean(d.lawfulBasisReason),
      'Enter why you are sharing without consent',
      'lawfulBasisReason',
    ],
    [Boolean(d.fears), 'Enter who the victim is afraid of', 'fears'],
    [Boolean(d.wants), 'Enter what the victim wants from the MARAC', 'wants'],
  ]);

  const perpetrators = people('perpetrator');
  need('perpetrators', perpetrators.length > 0, [
    [perpetrators.length > 0, 'Add at least one perpetrator'],
    [perpetrators.every((p) => p.relationship !== null), "Give each perpetrator's relationship to the victim"],
  ]);
  need('children', a.hasChildren !== undefined || people('child').length > 0, [
    [a.hasChildren !== undefined, 'Say whether there are any children', 'hasChildren'],
    [a.hasChildren !== true || people('child').length > 0, 'Add the children, or answer that there are none'],
  ]);
  need('household', a.hasHouseholdMembers !== undefined || people('household_member').length > 0, [
    [
      a.hasHouseholdMembers !== undefined,
      'Say whether other adults in the household are at risk',
      'hasHouseholdMembers',
    ],
    [
      a.hasHouseholdMembers !== true || people('household_member').length > 0,
      'Add the household members at risk, or answer that there are none',
    ],
  ]);

  const tool = a.assessmentTool ?? (view.checklist ? 'dash_ric' : undefined);
  const checklist = (view.checklist && getChecklist('dash_ric', view.checklist.version)) || CURRENT_CHECKLIST;
  const unanswered = checklist.questions.filter((q) => !view.checklist?.answers[q.id]);
  const firstPage = unanswered.length ? Math.floor((unanswered[0]!.number - 1) / 6) + 1 : 1;
  checks['risk'] = {
    started: tool !== undefined,
    missing: [
      ...(tool === undefined
        ? [{ message: 'Choose the risk assessment you used', href: href('risk', 'assessmentTool') }]
        : []),
      ...(tool === 'dash_ric' && unanswered.length
        ? [
            {
              message: `Answer every question on the risk checklist (${unanswered.length} not answered)`,
              href: href(`risk/checklist/${firstPage}`, `${unanswered[0]!.id}-answer`),
            },
          ]
        : []),
      ...((tool === 'dara' || tool === 'other') && !a.assessmentResult
        ? [{ message: 'Select the result of the risk assessment', href: href('risk', 'assessmentResult') }]
        : []),
      ...(tool === 'other' && !d.otherToolName
        ? [{ message: 'Enter the name of the risk assessment tool', href: href('risk', 'otherToolName') }]
        : []),
    ],
  };

  need('criteria', a.recentIncidents !== undefined || a.professionalJudgement !== undefined, [
    [a.recentIncidents !== undefined, 'Enter the number of incidents in the past 12 months', 'recentIncidents'],
    [
      a.professionalJudgement !== undefined,
      'Say whether you are referring on professional judgement',
      'professionalJudgement',
    ],
    [
      a.professionalJudgement !== true || Boolean(view.professionalJudgementRationale),
      'Enter why you are referring on professional judgement',
      'professionalJudgementRationale',
    ],
  ]);

  need('narrative', Boolean(view.narrative) || a.reportedToPolice !== undefined, [
    [Boolean(view.narrative), 'Describe what happened', 'narrative'],
    [a.reportedToPolice !== undefined, 'Say whether it was reported to the police', 'reportedToPolice'],
    [a.previousMarac !== undefined, 'Say whether you know of a previous MARAC referral', 'previousMarac'],
  ]);

  return TITLES.map(([slug, title]) => {
    const { started, missing } = checks[slug]!;
    const status: TaskStatus = missing.length === 0 ? 'completed' : started ? 'in_progress' : 'not_started';
    return { slug, title, status, missing };
  });
}
