import { z } from 'zod';

export const exclusionForm = z.object({
  email: z
    .string({ error: 'Enter the work email address of the user to bar' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter the work email address of the user to bar')
    .max(254, 'Email address must be 254 characters or fewer')
    .email('Enter an email address in the correct format, like name@example.gov.uk'),
  reason: z
    .string({ error: 'Enter why this user must not see this case' })
    .trim()
    .min(1, 'Enter why this user must not see this case')
    .max(500, 'The reason must be 500 characters or fewer'),
});
