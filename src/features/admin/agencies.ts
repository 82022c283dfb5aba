import type { FastifyInstance, FastifyReply } from 'fastify';
import { AGENCY_KINDS } from '../../platform/db/schema.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { createAgency, updateAgency } from './commands.ts';
import type { AdminDeps } from './deps.ts';
import { isUniqueViolation, pathId } from './ids.ts';
import { noticeFrom, withNotice } from './notices.ts';
import { findAgency, listAgencies, nameTaken } from './queries.ts';
import { agencyForm, submitted } from './schemas.ts';

const TAKEN = 'There is already an agency with this name';
const FIELDS = ['name', 'kind'];
const manage = { permission: 'admin.manage' } as const;
const kinds = Object.entries(AGENCY_KINDS).map(([value, text]) => ({ value, text }));

/** Agencies: list, add and change (name and kind). */
export async function agencyRoutes(app: FastifyInstance, { db }: AdminDeps) {
  const agencyOr404 = async (agencyId: string) => {
    const agency = await findAgency(db, agencyId);
    if (!agency) throw notFound();
    return agency;
  };

  const form = (reply: FastifyReply, agency: { id: string } | undefined, values: object, errors?: FieldErrors) =>
    reply.code(errors ? 400 : 200).view('features/admin/agency-form.njk', { agency, kinds, values, errors });

  app.get('/admin/agencies', { config: { ...manage, audit: null } }, async (request, reply) =>
    reply.view('features/admin/agencies.njk', { agencies: await listAgencies(db), notice: noticeFrom(request) }),
  );

  app.get('/admin/agencies/new', { config: { ...manage, audit: null } }, async (_request, reply) =>
    form(reply, undefined, {}),
  );

  app.post('/admin/agencies/new', { config: { ...manage, audit: 'admin.agency_created' } }, async (request, reply) => {
    const values = submitted(request.body, FIELDS);
    const parsed = parseForm(agencyForm, request.body);
    if (!parsed.ok) return form(reply, undefined, values, parsed.errors);
    if (await nameTaken(db, 'agency', parsed.data.name)) return form(reply, undefined, values, { name: TAKEN });
    const id = await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
      const agencyId = await createAgency(trx, parsed.data);
      if (agencyId) await request.audit(trx, { subjectType: 'agency', subjectId: agencyId, outcome: 'success' });
      return agencyId;
    });
    if (!id) return form(reply, undefined, values, { name: TAKEN });
    return reply.redirect(withNotice('/admin/agencies', 'agency-added'), 303);
  });

  app.get('/admin/agencies/:agencyId/change', { config: { ...manage, audit: null } }, async (request, reply) => {
    const agency = await agencyOr404(pathId(request, 'agencyId'));
    return form(reply, agency, { name: agency.name, kind: agency.kind });
  });

  app.post(
    '/admin/agencies/:agencyId/change',
    { config: { ...manage, audit: 'admin.agency_updated' } },
    async (request, reply) => {
      const agency = await agencyOr404(pathId(request, 'agencyId'));
      const values = submitted(request.body, FIELDS);
      const parsed = parseForm(agencyForm, request.body);
      if (!parsed.ok) return form(reply, agency, values, parsed.errors);
      if (await nameTaken(db, 'agency', parsed.data.name, agency.id))
        return form(reply, agency, values, { name: TAKEN });
      try {
        await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
          if (!(await updateAgency(trx, agency.id, parsed.data))) throw notFound();
          await request.audit(trx, { subjectType: 'agency', subjectId: agency.id, outcome: 'success' });
        });
      } catch (error) {
        if (isUniqueViolation(error)) return form(reply, agency, values, { name: TAKEN });
        throw error;
      }
      return reply.redirect(withNotice('/admin/agencies', 'agency-changed'), 303);
    },
  );
}
