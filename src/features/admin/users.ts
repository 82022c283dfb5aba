import type { FastifyInstance, FastifyReply } from 'fastify';
import { GLOBAL_ROLES } from '../../platform/access/actor.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { FieldErrors, FormResult } from '../../platform/http/forms.ts';
import { createLink } from '../auth/links.ts';
import { createInvitedUser } from './commands.ts';
import type { AdminDeps } from './deps.ts';
import { isUuid, pathId } from './ids.ts';
import { sendInvitation } from './invitation-email.ts';
import { noticeFrom, withNotice } from './notices.ts';
import { emailTaken, findAgency, findUser, listAgencies, listUsers } from './queries.ts';
import { INVITE_FIELDS, inFieldOrder, inviteFields, parseInvite, submitted, type InviteAnswers } from './schemas.ts';

const EMAIL_TAKEN = 'There is already a user with this email address';
const manage = { permission: 'admin.manage' } as const;
const serviceRoles = [
  { value: 'none', text: 'None' },
  ...Object.entries(GLOBAL_ROLES).map(([value, text]) => ({ value, text })),
];

/** Users: the list, inviting someone (question page, check answers, send), and a user's page. */
export async function userRoutes(app: FastifyInstance, { db, clock, mailer, config }: AdminDeps) {
  app.get('/admin/users', { config: { ...manage, audit: null } }, async (_request, reply) =>
    reply.view('features/admin/users.njk', { users: await listUsers(db) }),
  );

  const inviteForm = async (reply: FastifyReply, values: Record<string, string>, errors?: FieldErrors) =>
    reply.code(errors ? 400 : 200).view('features/admin/invite.njk', {
      agencies: await listAgencies(db),
      serviceRoles,
      values,
      errors,
    });

  /** The answers, checked against the form's rules and then against existing users and agencies. */
  async function checkInvite(body: unknown): Promise<FormResult<InviteAnswers>> {
    const parsed = parseInvite(body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    const raw = submitted(body, INVITE_FIELDS);
    if (!errors.email && (await emailTaken(db, raw.email.trim().toLowerCase()))) errors.email = EMAIL_TAKEN;
    if (!errors.agencyId && isUuid(raw.agencyId) && !(await findAgency(db, raw.agencyId.toLowerCase()))) {
      errors.agencyId = 'Select their agency';
    }
    if (parsed.ok && !Object.keys(errors).length) return parsed;
    return { ok: false, errors: inFieldOrder(errors, INVITE_FIELDS) };
  }

  app.get('/admin/users/new', { config: { ...manage, audit: null } }, async (_request, reply) =>
    inviteForm(reply, { globalRole: 'none' }),
  );

  /**
   * One route for the question page, check answers and sending, told apart by
   * the button pressed (`step`). Until "Send invitation" nothing is saved: the
   * answers travel in the check page's hidden fields, never in a URL.
   */
  app.post('/admin/users/new', { config: { ...manage, audit: 'admin.user_invited' } }, async (request, reply) => {
    const step = (request.body as { step?: unknown } | undefined)?.step;
    const values = submitted(request.body, INVITE_FIELDS);
    if (step === 'change') return inviteForm(reply, values);
    const checked = await checkInvite(request.body);
    if (!checked.ok) return inviteForm(reply, values, checked.errors);
    const answers = checked.data;
    if (step !== 'send') {
      const agency = answers.agencyId ? await findAgency(db, answers.agencyId) : undefined;
      return reply.view('features/admin/invite-check.njk', {
        answers,
        agency: agency?.name ?? null,
        serviceRole: answers.globalRole ? GLOBAL_ROLES[answers.globalRole] : null,
        fields: inviteFields(answers),
      });
    }
    const actorId = request.actor!.userId;
    const now = clock();
    const invited = await withTransaction(db, { requestId: request.id, actorId }, async (trx) => {
      const userId = await createInvitedUser(trx, answers);
      if (!userId) return undefined;
      const token = await createLink(trx, userId, 'invitation', actorId, now);
      await request.audit(trx, { subjectType: 'user', subjectId: userId, outcome: 'success' });
      return { userId, token };
    });
    if (!invited) return inviteForm(reply, values, { email: EMAIL_TAKEN });
    const sent = await sendInvitation(request, mailer, config.publicUrl, { ...invited, email: answers.email });
    return reply.redirect(withNotice(`/admin/users/${invited.userId}`, sent ? 'invited' : 'not-sent'), 303);
  });

  app.get('/admin/users/:userId', { config: { ...manage, audit: null } }, async (request, reply) => {
    const user = await findUser(db, pathId(request, 'userId'));
    if (!user) throw notFound();
    return reply.view('features/admin/user.njk', {
      user,
      isSelf: user.id === request.actor!.userId,
      notice: noticeFrom(request),
    });
  });
}
