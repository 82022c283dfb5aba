// Shared set-up for the referral service tests (not a test file itself).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { testKeyring } from '../../../test/harness.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';
import type { ReferralContext } from './context.ts';
import { CURRENT_CHECKLIST } from './rules/checklist.ts';

// The same keys as the test app's, so service calls and pages can read each other's fields.
export const keyring = testKeyring;

/** Runs fn as the actor in a request-like transaction (marac_app, row-level security on). */
export function as<T>(db: Kysely<Schema>, actor: Actor, fn: (trx: Tx, ctx: ReferralContext) => Promise<T>): Promise<T> {
  const requestId = `test-${randomBytes(4).toString('hex')}`;
  return withTransaction(db, { requestId, actorId: actor.userId }, (trx) => fn(trx, { actor, keyring, requestId }));
}

/** Checklist answers with the first `yes` questions answered yes and the rest no; q1 carries free text. */
export function checklistWith(yes: number, comment = 'Cut to the arm with a kitchen knife') {
  const answers: Record<string, unknown> = {};
  for (const question of CURRENT_CHECKLIST.questions) {
    answers[question.id] = { answer: question.number <= yes ? 'yes' : 'no' };
  }
  answers['q1'] = {
    answer: yes >= 1 ? 'yes' : 'no',
    comment,
    ...(yes >= 1 ? { details: { injuries: 'Bruising to the neck', first_injury: 'no' } } : {}),
  };
  return { tool: 'dash_ric' as const, version: CURRENT_CHECKLIST.version, answers };
}

export const newKey = () => randomBytes(16).toString('hex');
