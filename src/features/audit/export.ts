import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { streamAuditCsv } from '../../platform/audit/csv.ts';
import { filteredEvents } from '../../platform/audit/queries.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { londonIsoDate } from './dates.ts';
import { filterQuery, readFilters } from './filters.ts';
import { AUDIT_PAGE, EXPORT_MAX_ROWS, formContext } from './page.ts';

/**
 * GET /audit/export.csv: the events matching the viewer's filters, oldest
 * first, as CSV (ids and codes, formula-safe). The export is recorded
 * (audit.exported) in the transaction that reads the rows, and nothing is
 * sent until that transaction has committed: the CSV is built in memory, so
 * one export holds at most EXPORT_MAX_ROWS events — narrow the dates for more.
 */
export async function exportRoute(app: FastifyInstance, { db, clock }: { db: Kysely<Schema>; clock: () => Date }) {
  app.get(
    '/audit/export.csv',
    { config: { permission: 'audit.view', audit: 'audit.exported' } },
    async (request, reply) => {
      const actor = request.actor!;
      const outcome = await withTransaction(db, { requestId: request.id, actorId: actor.userId }, async (trx) => {
        const read = await readFilters(trx, request.query);
        if (!read.ok) return { kind: 'invalid' as const, read };
        const { total } = await filteredEvents(trx, read.filters)
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow();
        if (Number(total) > EXPORT_MAX_ROWS) return { kind: 'too_many' as const, read, total: Number(total) };
        const chunks: string[] = [];
        for await (const chunk of streamAuditCsv(trx, read.filters)) chunks.push(chunk);
        // Recorded last, just before commit: the audit chain is locked from here until then.
        await request.audit(trx, {
          subjectType: 'audit_event',
          caseId: read.caseId,
          purpose: 'audit_review',
          outcome: 'success',
        });
        return { kind: 'csv' as const, body: chunks.join('') };
      });

      if (outcome.kind === 'invalid') {
        const { values, errors, dateErrors } = outcome.read;
        return reply.code(400).view(AUDIT_PAGE, { ...formContext(values, errors, dateErrors), results: null });
      }
      if (outcome.kind === 'too_many') {
        return reply.code(400).view('features/audit/export-too-large.njk', {
          total: outcome.total,
          max: EXPORT_MAX_ROWS,
          backHref: `/audit${filterQuery(outcome.read.values)}`,
        });
      }
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="marac-audit-trail-${londonIsoDate(clock())}.csv"`)
        .header('Cache-Control', 'no-store')
        .send(outcome.body);
    },
  );
}
