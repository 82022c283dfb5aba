import { z } from 'zod';

/** A typed authenticator code: spaces are ignored ("123 456", as many apps show it). */
export const codeForm = z.object({
  code: z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(
      z
        .string()
        .min(1, 'Enter the security code')
        .regex(/^\d{6}$/, 'Enter the 6-digit security code from your app'),
    ),
});
