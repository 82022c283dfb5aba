import type { ReferralStatus } from '../../../platform/db/schema.ts';
import type { TaskStatus } from './completeness.ts';

/** How a referral's status reads to its referrer, with the GOV.UK tag colour. */
export const STATUS: Record<ReferralStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--blue' },
  returned: { text: 'More information needed', classes: 'govuk-tag--orange' },
  accepted: { text: 'Accepted', classes: 'govuk-tag--green' },
  rejected: { text: 'Not accepted', classes: 'govuk-tag--red' },
  transferred: { text: 'Transferred', classes: 'govuk-tag--purple' },
};

export const TASK_STATUS: Record<TaskStatus, string> = {
  not_started: 'Not yet started',
  in_progress: 'In progress',
  completed: 'Completed',
};
