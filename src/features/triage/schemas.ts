import { z } from 'zod';
import type { FormResult } from '../../platform/http/forms.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { Decision } from './transitions.ts';
import { isUuid } from '../../platform/ids.ts';

export const MESSAGE_MAX = 2000;

const text = (missing: string) =>
  z.string({ error: missing }).trim().min(1, missing).max(MESSAGE_MAX, `Write ${MESSAGE_MAX} characters or fewer`);

const FORMS = {
  accept: z.object({}),
  'request-information': z.object({ message: text('Enter what the referrer needs to tell you') }),
  reject: z.object({ reason: text('Enter why the referral is rejected') }),
  emergency: z.object({ reason: text('Enter why this cannot wait for the next meeting') }),
  transfer: z.object({
    toAreaId: z.string({ error: 'Select the MARAC area to transfer to' }).refine(isUuid, {
      error: 'Select the MARAC area to transfer to',
    }),
    reason: text('Enter why the referral is being transferred'),
  }),
} satisfies Record<Decision, z.ZodType>;

/** The fields each decision's page asks for, in page order (for the error summary and re-display). */
export const FIELDS: Record<Decision, readonly string[]> = {
  accept: [],
  'request-information': ['message'],
  reject: ['reason'],
  emergency: ['reason'],
  transfer: ['toAreaId', 'reason'],
};

export type DecisionAnswers = { message: string | null; toAreaId: string | null };

/** Validates a decision's form; every problem at once, in the order of the fields on the page. */
export function parseDecision(decision: Decision, body: unknown): FormResult<DecisionAnswers> {
  const parsed = parseForm(FORMS[decision], body);
  if (!parsed.ok) {
    const ordered = Object.fromEntries(
      FIELDS[decision].filter((f) => parsed.errors[f]).map((f) => [f, parsed.errors[f]!]),
    );
    return { ok: false, errors: ordered };
  }
  const data = parsed.data as { message?: string; reason?: string; toAreaId?: string };
  return { ok: true, data: { message: data.message ?? data.reason ?? null, toAreaId: data.toAreaId ?? null } };
}

/** The submitted values to show again on a page with errors (strings only). */
export function submittedValues(decision: Decision, body: unknown): Record<string, string> {
  const raw = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    FIELDS[decision].map((f) => [f, typeof raw[f] === 'string' ? raw[f].slice(0, MESSAGE_MAX * 2) : '']),
  );
}
