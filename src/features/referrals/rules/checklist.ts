// The risk checklist as versioned data. Every stored assessment keeps the checklist's tool and version, so a later
// version (new wording, a new question) can be added beside this one without changing what old answers meant.
//
// The question texts are our own plain-English paraphrases of the SafeLives Dash RIC (2009) for the referral form;
// they are not the published form's wording.

export type ChecklistTool = 'dash_ric';

export const ANSWER_VALUES = ['yes', 'no', 'dont_know'] as const;
export type Answer = (typeof ANSWER_VALUES)[number];

export interface Option {
  readonly value: string;
  readonly text: string;
}

/** A follow-up the form shows when the answer is "yes" (GOV.UK conditional reveal). Never required. */
export type QuestionDetail =
  | { readonly kind: 'text'; readonly id: string; readonly label: string; readonly hint?: string }
  | { readonly kind: 'checkboxes'; readonly id: string; readonly label: string; readonly options: readonly Option[] }
  | { readonly kind: 'radios'; readonly id: string; readonly label: string; readonly options: readonly Option[] };

export interface Question {
  /** Stable across versions while the question means the same thing: q1 … q24. */
  readonly id: string;
  /** The number shown on the form and in error messages. */
  readonly number: number;
  readonly text: string;
  readonly hint?: string;
  readonly details?: readonly QuestionDetail[];
}

export interface Checklist {
  readonly tool: ChecklistTool;
  readonly version: string;
  readonly title: string;
  readonly questions: readonly Question[];
}

/** One answered question. Free text is optional; details hold the follow-ups, keyed by QuestionDetail id. */
export interface ChecklistAnswer {
  readonly answer: Answer;
  /** Where the answer came from when it was not the victim (police records, the referrer's own observation…). */
  readonly source?: string;
  readonly comment?: string;
  /** Text and radios details are strings; checkboxes details are arrays of option values. */
  readonly details?: Readonly<Record<string, string | readonly string[]>>;
}

/** Answers keyed by question id. */
export type ChecklistAnswers = Readonly<Record<string, ChecklistAnswer | undefined>>;

const YES_NO_DONT_KNOW: readonly Option[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'dont_know', text: "Don't know" },
];

const QUESTIONS: readonly Omit<Question, 'number'>[] = [
  {
    id: 'q1',
    text: 'Was the victim injured in the current incident?',
    hint: 'Describe the injuries and say whether the victim has been injured before.',
    details: [
      { kind: 'text', id: 'injuries', label: 'What injuries?' },
      {
        kind: 'radios',
        id: 'first_injury',
        label: 'Is this the first time the victim has been injured?',
        options: YES_NO_DONT_KNOW,
      },
    ],
  },
  {
    id: 'q2',
    text: 'Does the victim feel very frightened?',
    hint: "Use the victim's own words in the comment where you can.",
  },
  {
    id: 'q3',
    text: 'Is the victim afraid of what the perpetrator might do next?',
    hint: 'Describe what the victim fears could happen and who could be harmed, children included.',
    details: [
      {
        kind: 'checkboxes',
        id: 'afraid_of',
        label: 'What is the victim afraid of?',
        options: [
          { value: 'further_injury_or_violence', text: 'More injury or violence' },
          { value: 'other', text: 'Something else' },
        ],
      },
      { kind: 'text', id: 'to_whom', label: 'Who does the victim fear could be harmed?' },
    ],
  },
  {
    id: 'q4',
    text: 'Does the victim feel cut off from family and friends?',
    hint: 'For example, the perpetrator stops the victim seeing family or friends, going to work or seeing a doctor.',
  },
  { id: 'q5', text: 'Is the victim feeling depressed or having thoughts of suicide?' },
  { id: 'q6', text: 'In the past year, has the victim separated from the perpetrator or tried to?' },
  { id: 'q7', text: 'Is there conflict about contact with the children?' },
  {
    id: 'q8',
    text: 'Does the perpetrator keep texting, calling, contacting, following or stalking the victim, or harass them in other ways?',
    hint: 'Include contact through other people and online. Say whether the victim believes it is meant to scare them.',
  },
  { id: 'q9', text: 'Is the victim pregnant, or have they had a baby in the past 18 months?' },
  { id: 'q10', text: 'Is the abuse happening more often than before?' },
  { id: 'q11', text: 'Is the abuse becoming more serious?' },
  {
    id: 'q12',
    text: 'Does the perpetrator try to control everything the victim does, or show extreme jealousy?',
    hint: 'For example, over who the victim sees or talks to, money, clothes or where the victim goes.',
  },
  { id: 'q13', text: 'Has the perpetrator used a weapon or an object to hurt the victim?' },
  {
    id: 'q14',
    text: 'Has the perpetrator threatened to kill the victim or someone else, and did the victim believe the threat?',
    details: [
      {
        kind: 'checkboxes',
        id: 'threatened',
        label: 'Who was threatened?',
        options: [
          { value: 'victim', text: 'The victim' },
          { value: 'children', text: 'Children' },
          { value: 'other', text: 'Someone else' },
        ],
      },
      { kind: 'text', id: 'other_detail', label: 'Who else was threatened?' },
    ],
  },
  { id: 'q15', text: 'Has the perpetrator ever tried to strangle, choke, suffocate or drown the victim?' },
  {
    id: 'q16',
    text: 'Has the perpetrator sexually abused or degraded the victim or anyone else?',
    hint: 'Include sexual acts or remarks meant to humiliate, and sexual acts that caused physical harm.',
  },
  {
    id: 'q17',
    text: 'Is there anyone else the victim is afraid of, or who has threatened the victim?',
    hint: "For example, members of the perpetrator's family or friends.",
    details: [{ kind: 'text', id: 'who', label: 'Who?' }],
  },
  {
    id: 'q18',
    text: 'Has the perpetrator hurt anyone else?',
    details: [
      {
        kind: 'checkboxes',
        id: 'hurt',
        label: 'Who has the perpetrator hurt?',
        options: [
          { value: 'children', text: 'Children' },
          { value: 'other_family', text: 'Other family members' },
          { value: 'previous_partner', text: 'Someone from a previous relationship' },
          { value: 'other', text: 'Someone else' },
        ],
      },
      { kind: 'text', id: 'other_detail', label: 'Who else?' },
    ],
  },
  { id: 'q19', text: 'Has the perpetrator ever been cruel to an animal or a family pet?' },
  {
    id: 'q20',
    text: 'Are there money problems, or does the victim depend on the perpetrator for money?',
    hint: 'For example, the perpetrator recently lost a job, or there are debts.',
  },
  {
    id: 'q21',
    text: 'In the past year, has the perpetrator had problems with drugs, alcohol or mental health?',
    details: [
      {
        kind: 'checkboxes',
        id: 'problems',
        label: 'Which problems?',
        options: [
          { value: 'drugs', text: 'Drugs' },
          { value: 'alcohol', text: 'Alcohol' },
          { value: 'mental_health', text: 'Mental health' },
        ],
      },
    ],
  },
  { id: 'q22', text: 'Has the perpetrator ever threatened or tried to take their own life?' },
  {
    id: 'q23',
    text: 'Has the perpetrator ever broken bail conditions, an injunction or a formal agreement?',
    hint: 'A formal agreement includes one about when the perpetrator may see the victim or the children.',
    details: [
      {
        kind: 'checkboxes',
        id: 'breached',
        label: 'What did the perpetrator break?',
        options: [
          { value: 'bail', text: 'Bail conditions' },
          { value: 'injunction', text: 'An injunction or other court order' },
          { value: 'agreement', text: 'A formal agreement' },
        ],
      },
    ],
  },
  {
    id: 'q24',
    text: 'Has the perpetrator been in trouble with the police, or do they have a criminal history?',
    details: [
      {
        kind: 'checkboxes',
        id: 'history',
        label: 'What kind of history?',
        options: [
          { value: 'domestic_abuse', text: 'Domestic abuse' },
          { value: 'sexual_violence', text: 'Sexual violence' },
          { value: 'other_violence', text: 'Other violence' },
          { value: 'other', text: 'Something else' },
        ],
      },
    ],
  },
];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const DASH_RIC_PARAPHRASE_1: Checklist = deepFreeze({
  tool: 'dash_ric',
  version: '2009-safelives-paraphrase-1',
  title: 'Domestic abuse risk checklist (SafeLives Dash RIC)',
  questions: QUESTIONS.map((question, index) => ({ ...question, number: index + 1 })),
});

/** The version new referrals use. */
export const CURRENT_CHECKLIST: Checklist = DASH_RIC_PARAPHRASE_1;

function registryKey(tool: string, version: string): string {
  return `${tool}\u0000${version}`;
}

const REGISTRY: ReadonlyMap<string, Checklist> = new Map(
  [DASH_RIC_PARAPHRASE_1].map((checklist) => [registryKey(checklist.tool, checklist.version), checklist]),
);

/** The checklist a stored assessment was answered on, or undefined for a tool and version we do not hold. */
export function getChecklist(tool: string, version: string): Checklist | undefined {
  return REGISTRY.get(registryKey(tool, version));
}

export function listChecklists(): readonly Checklist[] {
  return [...REGISTRY.values()];
}

export function isAnswer(value: unknown): value is Answer {
  return (ANSWER_VALUES as readonly unknown[]).includes(value);
}
