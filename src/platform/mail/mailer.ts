/**
 * Outgoing email. Messages carry a link and no personal data beyond the
 * recipient's address. Until the mail issue brings SMTP, the console mailer
 * writes each message to standard error for the person running the service;
 * production refuses it (see server.ts), because links are credentials.
 */
export type MailMessage = { to: string; subject: string; text: string };
export type Mailer = { kind: 'console' | 'memory'; send(message: MailMessage): Promise<void> };

export function consoleMailer(write: (text: string) => void = (text) => process.stderr.write(text)): Mailer {
  return {
    kind: 'console',
    async send({ to, subject, text }) {
      write(
        `\n--- Email (console mailer) ---\nTo: ${to}\nSubject: ${subject}\n\n${text}\n------------------------------\n`,
      );
    },
  };
}

/** Keeps messages in memory, for tests that follow a link from an email. */
export function memoryMailer(): Mailer & { messages: MailMessage[] } {
  const messages: MailMessage[] = [];
  return {
    kind: 'memory',
    messages,
    async send(message) {
      messages.push(message);
    },
  };
}
