import type { FastifyInstance, FastifyReply } from 'fastify';
import { withTransaction } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/http/forms.ts';
import { addAreaAgency, createArea, removeAreaAgency, renameArea } from './commands.ts';
import type { AdminDeps } from './deps.ts';
import { isUniqueViolation, pathId } from './ids.ts';
import { noticeFrom, withNotice } from './notices.ts';
import { agenciesNotInArea, areaAgencies, findAgency, findArea, listAreas, nameTaken } from './queries.ts';
import { areaAgencyForm, areaForm, submitted } from './schemas.ts';

const page = (name: string) => `features/admin/${name}.njk`;
const TAKEN = 'There is already a MARAC area with this name';
const manage = { permission: 'admin.manage' } as const;

/** MARAC areas: list, add, rename, and which agencies take part. */
export async function areaRoutes(app: FastifyInstance, { db }: AdminDeps) {
  const areaOr404 = async (areaId: string) => {
    const area = await findArea(db, areaId);
    if (!area) throw notFound();
    return area;
  };

  app.get('/admin/areas', { config: { ...manage, audit: null } }, async (request, reply) =>
    reply.view(page('areas'), { areas: await listAreas(db), notice: noticeFrom(request) }),
  );

  const nameForm = (
    reply: FastifyReply,
    view: { area?: { id: string; name: string } },
    values = {},
    errors?: FieldErrors,
  ) => reply.code(errors ? 400 : 200).view(page('area-name'), { ...view, values, errors });

  app.get('/admin/areas/new', { config: { ...manage, audit: null } }, async (_request, reply) => nameForm(reply, {}));

  app.post('/admin/areas/new', { config: { ...manage, audit: 'admin.area_created' } }, async (request, reply) => {
    const values = submitted(request.body, ['name']);
    const form = parseForm(areaForm, request.body);
    if (!form.ok) return nameForm(reply, {}, values, form.errors);
    if (await nameTaken(db, 'marac_area', form.data.name)) return nameForm(reply, {}, values, { name: TAKEN });
    const areaId = await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
      const id = await createArea(trx, form.data.name);
      if (id) await request.audit(trx, { subjectType: 'area', subjectId: id, outcome: 'success' });
      return id;
    });
    if (!areaId) return nameForm(reply, {}, values, { name: TAKEN });
    return reply.redirect(withNotice(`/admin/areas/${areaId}`, 'area-added'), 303);
  });

  app.get('/admin/areas/:areaId', { config: { ...manage, audit: null } }, async (request, reply) => {
    const area = await areaOr404(pathId(request, 'areaId'));
    return reply.view(page('area'), {
      area,
      agencies: await areaAgencies(db, area.id),
      canAddAgency: (await agenciesNotInArea(db, area.id)).length > 0,
      notice: noticeFrom(request),
    });
  });

  app.get('/admin/areas/:areaId/name', { config: { ...manage, audit: null } }, async (request, reply) => {
    const area = await areaOr404(pathId(request, 'areaId'));
    return nameForm(reply, { area }, { name: area.name });
  });

  app.post(
    '/admin/areas/:areaId/name',
    { config: { ...manage, audit: 'admin.area_updated' } },
    async (request, reply) => {
      const area = await areaOr404(pathId(request, 'areaId'));
      const values = submitted(request.body, ['name']);
      const form = parseForm(areaForm, request.body);
      if (!form.ok) return nameForm(reply, { area }, values, form.errors);
      if (await nameTaken(db, 'marac_area', form.data.name, area.id)) {
        return nameForm(reply, { area }, values, { name: TAKEN });
      }
      try {
        await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
          if (!(await renameArea(trx, area.id, form.data.name))) throw notFound();
          await request.audit(trx, { subjectType: 'area', subjectId: area.id, outcome: 'success' });
        });
      } catch (error) {
        if (isUniqueViolation(error)) return nameForm(reply, { area }, values, { name: TAKEN });
        throw error;
      }
      return reply.redirect(withNotice(`/admin/areas/${area.id}`, 'area-renamed'), 303);
    },
  );

  const agencyChoice = async (
    reply: FastifyReply,
    area: { id: string; name: string },
    values: Record<string, string> = {},
    errors?: FieldErrors,
  ) =>
    reply
      .code(errors ? 400 : 200)
      .view(page('area-agency'), { area, agencies: await agenciesNotInArea(db, area.id), values, errors });

  app.get('/admin/areas/:areaId/agencies/new', { config: { ...manage, audit: null } }, async (request, reply) =>
    agencyChoice(reply, await areaOr404(pathId(request, 'areaId'))),
  );

  app.post(
    '/admin/areas/:areaId/agencies/new',
    { config: { ...manage, audit: 'admin.area_agency_added' } },
    async (request, reply) => {
      const area = await areaOr404(pathId(request, 'areaId'));
      const values = submitted(request.body, ['agencyId']);
      const form = parseForm(areaAgencyForm, request.body);
      const agency = form.ok ? await findAgency(db, form.data.agencyId.toLowerCase()) : undefined;
      if (!agency) return agencyChoice(reply, area, values, { agencyId: 'Select an agency' });
      const added = await withTransaction(
        db,
        { requestId: request.id, actorId: request.actor!.userId },
        async (trx) => {
          if (!(await addAreaAgency(trx, area.id, agency.id))) return false;
          await request.audit(trx, {
            subjectType: 'area_agency',
            subjectId: `${area.id}:${agency.id}`,
            outcome: 'success',
          });
          return true;
        },
      );
      if (!added) return agencyChoice(reply, area, values, { agencyId: 'That agency already takes part in this area' });
      return reply.redirect(withNotice(`/admin/areas/${area.id}`, 'agency-joined'), 303);
    },
  );

  app.post(
    '/admin/areas/:areaId/agencies/:agencyId/remove',
    { config: { ...manage, audit: 'admin.area_agency_removed' } },
    async (request, reply) => {
      const areaId = pathId(request, 'areaId');
      const agencyId = pathId(request, 'agencyId');
      await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
        // An agency that does not take part in this area (or does not exist) is a missing page.
        if (!(await removeAreaAgency(trx, areaId, agencyId))) throw notFound();
        await request.audit(trx, {
          subjectType: 'area_agency',
          subjectId: `${areaId}:${agencyId}`,
          outcome: 'success',
        });
      });
      return reply.redirect(withNotice(`/admin/areas/${areaId}`, 'agency-left'), 303);
    },
  );
}
