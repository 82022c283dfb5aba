import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { listAuditEvents } from '../../platform/audit/queries.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { eventRows } from './events.ts';
import { filterQuery, readFilters } from './filters.ts';
import { AUDIT_PAGE, EXPORT_MAX_ROWS, formContext, PAGE_SIZE, type ResultsContext } from './page.ts';
import { pageCount, pageNumber, pagination } from './pagination.ts';

/**
 * GET /audit: the audit trail, newest first, filtered by who acted (email
 * address), case, date range and action. Reading it is itself audited
 * (audit.viewed), in the transaction that reads it.
 */
export async function viewerRoute(app: FastifyInstance, { db }: { db: Kysely<Schema> }) {
  app.get('/audit', { config: { permission: 'audit.view', audit: 'audit.viewed' } }, async (request, reply) => {
    const actor = request.actor!;
    const page = pageNumber((request.query as Record<string, unknown> | undefined)?.page);
    const outcome = await withTransaction(db, { requestId: request.id, actorId: actor.userId }, async (trx) => {
      const read = await readFilters(trx, request.query);
      if (!read.ok) return { ok: false as const, read };
      if (read.emailInAddress) return { ok: 'redirect' as const, to: `/audit${filterQuery(read.values, page)}` };
      const list = await listAuditEvents(trx, read.filters, { page, pageSize: PAGE_SIZE });
      const rows = await eventRows(trx, list.events);
      // Recorded last, just before commit: the audit chain is locked from here until then.
      await request.audit(trx, {
        subjectType: 'audit_event',
        caseId: read.caseId,
        purpose: 'audit_review',
        outcome: 'success',
      });
      return { ok: true as const, read, list, rows };
    });

    if (outcome.ok === 'redirect') return reply.redirect(outcome.to, 303);
    if (!outcome.ok) {
      const { values, errors, dateErrors } = outcome.read;
      return reply.code(400).view(AUDIT_PAGE, { ...formContext(values, errors, dateErrors), results: null });
    }
    const { read, list, rows } = outcome;
    const pages = pageCount(list.total, PAGE_SIZE);
    const first = (page - 1) * PAGE_SIZE + 1;
    const results: ResultsContext = {
      rows,
      total: list.total,
      page,
      first,
      last: first + rows.length - 1,
      pagination: pagination(page, pages, (n) => `/audit${filterQuery(read.values, n)}`),
      exportHref:
        list.total > 0 && list.total <= EXPORT_MAX_ROWS ? `/audit/export.csv${filterQuery(read.values)}` : null,
      exportMax: EXPORT_MAX_ROWS,
    };
    return reply.view(AUDIT_PAGE, { ...formContext(read.values), results });
  });
}
