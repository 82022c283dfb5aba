// Test helpers shared by the administration tests.
import type { Kysely } from 'kysely';
import type { AuditAction } from '../../platform/audit/actions.ts';
import type { Schema } from '../../platform/db/schema.ts';

/** The newest audit row for an action: who, about what, and how it ended. */
export const lastAudit = (db: Kysely<Schema>, action: AuditAction) =>
  db
    .selectFrom('audit_event')
    .select(['actor_user_id', 'subject_type', 'subject_id', 'outcome'])
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .executeTakeFirst();

/** The error summary's links as "field: message", in page order. */
export const errorSummary = (body: string) =>
  [...body.matchAll(/<a href="#([A-Za-z]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
