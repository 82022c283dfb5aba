import type { FastifyRequest } from 'fastify';
import type { Mailer } from '../../platform/mail/mailer.ts';

/**
 * Emails an invitation link. The message holds the link and instructions
 * only: no name, agency or area, since email can be read by others. Sent after
 * the transaction commits (slow mail must not hold the audit chain); a failure
 * is logged by user id only and reported to the administrator, who can send
 * the invitation again.
 */
export async function sendInvitation(
  request: FastifyRequest,
  mailer: Mailer,
  publicUrl: string,
  invite: { userId: string; email: string; token: string },
): Promise<boolean> {
  try {
    await mailer.send({
      to: invite.email,
      subject: 'Your invitation to Open MARAC',
      text:
        `You have been invited to use Open MARAC, the case management service for your MARAC.\n\n` +
        `Open this link within 7 days to create your password:\n\n` +
        `${publicUrl}/invitation?token=${invite.token}\n\n` +
        `You will then set up an authenticator app on your phone, which you need every time you sign in.\n\n` +
        `The link works once. If it has expired, ask your system administrator for a new invitation. ` +
        `If you were not expecting this email, you can ignore it.`,
    });
    return true;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    request.log.error(
      { userId: invite.userId, code: typeof code === 'string' ? code : undefined },
      'invitation email not sent',
    );
    return false;
  }
}
