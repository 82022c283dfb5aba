// Shared set-up for the triage tests (not a test file itself): submitted referrals made through the referral
// service, sealed with the test app's keyring so that the app can open them.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { testKeyring } from '../../../test/harness.ts';
import type { Actor } from '../../platform/access/actor.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';
import type { ReferralContext } from '../referrals/context.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson } from '../referrals/people.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';
import { checklistWith, newKey } from '../referrals/testing.ts';

/** Runs fn as the actor in a request-like transaction, with the test app's keyring. */
export function asUser<T>(
  db: Kysely<Schema>,
  actor: Actor,
  fn: (trx: Tx, ctx: ReferralContext) => Promise<T>,
): Promise<T> {
  const requestId = `test-${randomBytes(4).toString('hex')}`;
  return withTransaction(db, { requestId, actorId: actor.userId }, (trx) =>
    fn(trx, { actor, keyring: testKeyring, requestId }),
  );
}

export type Submitted = { id: string; caseId: string; reference: string };

/** A submitted referral: a victim, a perpetrator, `children` children and a checklist of `score` yes answers. */
export async function submittedReferral(
  db: Kysely<Schema>,
  referrer: Actor,
  areaId: string,
  options: { victim?: [string, string]; score?: number; children?: number; narrative?: string; address?: string } = {},
): Promise<Submitted> {
  return asUser(db, referrer, async (trx, ctx) => {
    const draft = await createDraft(trx, ctx, areaId);
    await saveAnswers(trx, ctx, draft.id, {
      checklist: checklistWith(options.score ?? 15),
      recentIncidents: 0,
      narrative: options.narrative ?? 'Threats to kill after separation',
      ...(options.address ? { victimAddress: options.address } : {}),
    });
    const [givenNames, familyName] = options.victim ?? ['Alex', 'Morgan'];
    await addPerson(trx, ctx, draft.id, { role: 'victim', givenNames, familyName, dateOfBirth: '1990-04-01' });
    await addPerson(trx, ctx, draft.id, {
      role: 'perpetrator',
      givenNames: 'Sam',
      familyName,
      dateOfBirth: '1988-02-02',
    });
    for (let i = 0; i < (options.children ?? 0); i++) {
      await addPerson(trx, ctx, draft.id, { role: 'child', givenNames: `Child${i}`, familyName });
    }
    const result = await submit(trx, ctx, draft.id, newKey(), NATIONAL_DEFAULTS);
    return { id: draft.id, caseId: draft.caseId, reference: result.reference };
  });
}
