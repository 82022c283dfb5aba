// What a question page of the referral is made of: its fields, how it shows what is saved, how it saves.
import type { FieldErrors } from '../../../platform/http/forms.ts';
import type { Tx } from '../../../platform/db/transaction.ts';
import type { AreaRules } from '../area-rules.ts';
import type { ReferralContext } from '../context.ts';
import type { ReferralView } from '../queries.ts';
import type { FieldData, Field, FormValues } from './fields.ts';

export type PageContext = { view: ReferralView; rules: AreaRules; today: string };

export type QuestionPage = {
  /** The path under /referrals/:referralId/. */
  slug: string;
  title: string;
  intro?: string;
  fields(page: PageContext): Field[];
  /** What is saved, as form values. */
  load(page: PageContext): FormValues;
  /** Checks across fields (an answer that needs another), after each field is valid on its own. */
  check?(data: FieldData, page: PageContext): FieldErrors;
  save(trx: Tx, ctx: ReferralContext, page: PageContext, data: FieldData): Promise<void>;
  /** Where "Save and continue" goes, under /referrals/:referralId/ ('' for the task list). */
  next(data: FieldData): string;
};

export const referralPath = (referralId: string, slug = '') => `/referrals/${referralId}${slug ? `/${slug}` : ''}`;
