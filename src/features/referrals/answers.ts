// What a referral's form pages send, and how it is split between plain jsonb (codes, yes/no, counts) and sealed
// columns (free text and anything that could locate or reach the victim).
import { z } from 'zod';
import { AppError } from '../../platform/http/errors.ts';
import { getChecklist, isAnswer } from './rules/checklist.ts';
import { RISK_LEVELS } from './rules/criteria.ts';
import { parseDate } from './rules/dates.ts';
import type { Checklist, ChecklistAnswer, ChecklistAnswers } from './rules/checklist.ts';

const text = (max: number) => z.string().max(max);

export const YES_NO_UNKNOWN = ['yes', 'no', 'dont_know'] as const;
export const LAWFUL_BASES = ['vital_interests', 'public_task', 'safeguarding', 'crime_and_disorder_act'] as const;

/** A real calendar date, 'YYYY-MM-DD'. */
export const isoDate = z.string().refine((value) => {
  try {
    parseDate(value);
    return true;
  } catch {
    return false;
  }
});

/**
 * The referral's other free text, sealed together as one JSON value in `referral.details`. Strict: an unknown key
 * is refused, so nothing new is stored without being named here.
 */
export const referralDetailsSchema = z.strictObject({
  referrerJobTitle: text(200).optional(),
  referrerPhone: text(40).optional(),
  managerName: text(200).optional(),
  firstLanguage: text(100).optional(),
  notAwareReason: text(2000).optional(),
  lawfulBasisReason: text(2000).optional(),
  fears: text(2000).optional(),
  safeToTalkTo: text(2000).optional(),
  notSafeToTalkTo: text(2000).optional(),
  wants: text(2000).optional(),
  incidentWhen: text(500).optional(),
  incidentWhere: text(500).optional(),
  injuries: text(2000).optional(),
  previousMaracDetails: text(2000).optional(),
  otherToolName: text(200).optional(),
  otherToolVersion: text(100).optional(),
});
export type ReferralDetails = z.infer<typeof referralDetailsSchema>;

/** Safe contact details: sealed as one JSON value, shown only to the coordinator, the IDVA and the referrer. */
export const safeContactSchema = z.strictObject({
  phone: text(40).optional(),
  email: text(320).optional(),
  safeToCall: z.boolean().optional(),
  safeToLeaveMessage: z.boolean().optional(),
  safeTimes: text(500).optional(),
  /** How the victim may safely be contacted. */
  safeMethods: z.array(z.enum(['phone_call', 'text_message', 'email', 'in_person', 'via_idva'])).optional(),
  notes: text(2000).optional(),
});
export type SafeContact = z.infer<typeof safeContactSchema>;

/** Kept in the `answers` jsonb column: no free text, by construction (the schema is strict). */
export const plainAnswersSchema = z.strictObject({
  recentIncidents: z.number().int().min(0).max(1000).optional(),
  professionalJudgement: z.boolean().optional(),
  victimAware: z.boolean().optional(),
  consentGiven: z.boolean().optional(),
  interpreterNeeded: z.boolean().optional(),
  inRefuge: z.boolean().optional(),
  referrerWillAttend: z.boolean().optional(),
  /** The day the referrer's line manager signed the referral off, where the area requires it. */
  managerSignOffDate: isoDate.optional(),
  lawfulBasis: z.enum(LAWFUL_BASES).optional(),
  wantsToSpeakToPolice: z.enum(['yes', 'no', 'not_asked']).optional(),
  reportedToPolice: z.enum(YES_NO_UNKNOWN).optional(),
  previousMarac: z.enum(['no', 'here', 'elsewhere', 'dont_know']).optional(),
  hasChildren: z.boolean().optional(),
  hasHouseholdMembers: z.boolean().optional(),
  /** Which risk assessment the referral rests on; the checklist's answers have columns of their own. */
  assessmentTool: z.enum(['dash_ric', 'dara', 'other']).optional(),
  /** The DARA's or other tool's graded result. */
  assessmentResult: z.enum(RISK_LEVELS).optional(),
});
export type PlainAnswers = z.infer<typeof plainAnswersSchema>;

/** Sealed, one column each; null clears a field. */
export const sealedAnswersSchema = z.strictObject({
  victimAddress: text(1000).nullable().optional(),
  /** Free text about where the victim is ("in refuge, contact via IDVA"). */
  victimLocation: text(2000).nullable().optional(),
  safeContact: safeContactSchema.nullable().optional(),
  narrative: text(20000).nullable().optional(),
  professionalJudgementRationale: text(5000).nullable().optional(),
});
export type SealedAnswers = z.infer<typeof sealedAnswersSchema>;

export const checklistInputSchema = z.strictObject({
  tool: z.literal('dash_ric'),
  version: text(100),
  answers: z.record(z.string(), z.unknown()),
});

// A page may clear a plain answer by sending null.
const clearablePlain = Object.fromEntries(
  Object.entries(plainAnswersSchema.shape).map(([key, schema]) => [key, schema.nullable()]),
) as { [K in keyof typeof plainAnswersSchema.shape]: z.ZodNullable<(typeof plainAnswersSchema.shape)[K]> };

export const answersInputSchema = z.strictObject({
  ...clearablePlain,
  ...sealedAnswersSchema.shape,
  /** Merged into the sealed details: a key given as null is removed. */
  details: z.record(z.string(), text(20000).nullable()).optional(),
  isEmergency: z.boolean().optional(),
  checklist: checklistInputSchema.nullable().optional(),
});
export type AnswersInput = z.infer<typeof answersInputSchema>;

/** Parses a page's answers; anything unknown or of the wrong shape is refused. */
export function parseAnswers(input: unknown): AnswersInput {
  const parsed = answersInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(400, 'invalid_answers', 'The answers could not be understood. Go back and try again.');
  }
  return parsed.data;
}

/** The sealed columns and the answer each holds. */
export const SEALED_COLUMNS = {
  victimAddress: 'victim_address',
  victimLocation: 'victim_location',
  safeContact: 'safe_contact',
  narrative: 'narrative',
  professionalJudgementRationale: 'professional_judgement_rationale',
} as const satisfies Record<keyof SealedAnswers, string>;

type PlainChecklistAnswer = { answer: string; details?: Record<string, string | readonly string[]> };
type ChecklistNote = { source?: string; comment?: string; details?: Record<string, string> };

/**
 * Splits checklist answers into what may sit in jsonb (the answer and the option codes ticked) and the free text
 * (source, comment, text details), which is sealed. Only the checklist's own questions and details are kept.
 */
export function splitChecklist(
  checklist: Checklist,
  answers: Readonly<Record<string, unknown>>,
): { plain: Record<string, PlainChecklistAnswer>; notes: Record<string, ChecklistNote> } {
  const plain: Record<string, PlainChecklistAnswer> = {};
  const notes: Record<string, ChecklistNote> = {};
  for (const question of checklist.questions) {
    const raw = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (!isRecord(raw) || !isAnswer(raw['answer'])) continue;
    const entry: PlainChecklistAnswer = { answer: raw['answer'] };
    const note: ChecklistNote = {};
    if (typeof raw['source'] === 'string' && raw['source'] !== '') note.source = raw['source'];
    if (typeof raw['comment'] === 'string' && raw['comment'] !== '') note.comment = raw['comment'];
    const details = isRecord(raw['details']) ? raw['details'] : {};
    for (const detail of question.details ?? []) {
      const value = Object.hasOwn(details, detail.id) ? details[detail.id] : undefined;
      if (detail.kind === 'text') {
        if (typeof value === 'string' && value !== '') (note.details ??= {})[detail.id] = value;
      } else if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        (entry.details ??= {})[detail.id] = value;
      }
    }
    plain[question.id] = entry;
    if (Object.keys(note).length > 0) notes[question.id] = note;
  }
  return { plain, notes };
}

/** Puts the sealed free text back beside the answers, as the rules expect them. */
export function joinChecklist(
  plain: Readonly<Record<string, unknown>>,
  notes: Readonly<Record<string, unknown>>,
): ChecklistAnswers {
  const joined: Record<string, ChecklistAnswer> = {};
  for (const [id, value] of Object.entries(plain)) {
    if (!isRecord(value) || !isAnswer(value['answer'])) continue;
    const note = Object.hasOwn(notes, id) && isRecord(notes[id]) ? notes[id] : {};
    const details = {
      ...(isRecord(value['details']) ? value['details'] : {}),
      ...(isRecord(note['details']) ? note['details'] : {}),
    } as Record<string, string | readonly string[]>;
    joined[id] = {
      answer: value['answer'],
      ...(typeof note['source'] === 'string' ? { source: note['source'] } : {}),
      ...(typeof note['comment'] === 'string' ? { comment: note['comment'] } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  }
  return joined;
}

/** The checklist a referral was answered on, or a 400 for one we do not hold. */
export function checklistFor(tool: string, version: string): Checklist {
  const checklist = getChecklist(tool, version);
  if (!checklist) throw new AppError(400, 'unknown_checklist', 'Select a risk checklist this service knows');
  return checklist;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
