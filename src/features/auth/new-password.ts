import { z } from 'zod';
import { checkNewPassword } from '../../platform/identity/password-policy.ts';
import { normalisePassword } from '../../platform/identity/passwords.ts';

/** The "create a password" form shared by invitations and resets. Passwords are never sent back to the page. */
export const newPasswordForm = z.object({
  token: z.string().min(1),
  password: z.string().min(1, 'Enter a password'),
  confirmPassword: z.string().min(1, 'Enter the password again'),
});

export function passwordErrors(
  form: { password: string; confirmPassword: string },
  who: { email: string; display_name: string },
): Record<string, string> {
  const password = normalisePassword(form.password);
  const problems = checkNewPassword(password, { email: who.email, name: who.display_name });
  const errors: Record<string, string> = {};
  if (problems[0]) errors.password = problems[0];
  else if (normalisePassword(form.confirmPassword) !== password) errors.confirmPassword = 'The passwords do not match';
  return errors;
}
