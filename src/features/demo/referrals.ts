// Demo referrals: fictional people in every referral status, with repeats and children, made through the same
// services (and row-level security) a real referrer and coordinator use, so the demo shows what the service does.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/access/actor.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction, type Tx } from '../../platform/db/transaction.ts';
import type { ReferralContext } from '../referrals/context.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson, type PersonInput } from '../referrals/people.ts';
import { CURRENT_CHECKLIST } from '../referrals/rules/checklist.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';

export type DemoArea = { id: string; name: string; users: Record<string, string> };

/** Runs fn as the demo user, as a request would: marac_app, row-level security on, audited. */
async function actorFor(db: Kysely<Schema>, userId: string): Promise<Actor> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'agency_id'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('membership')
    .select(['area_id', 'role'])
    .where('user_id', '=', userId)
    .execute();
  return {
    userId,
    agencyId: user.agency_id,
    globalRole: null,
    memberships: memberships.map((m) => ({ areaId: m.area_id, role: m.role })),
    sessionId: 'demo-seed',
  };
}

export async function actAs<T>(
  db: Kysely<Schema>,
  keyring: Keyring,
  userId: string,
  fn: (trx: Tx, ctx: ReferralContext) => Promise<T>,
): Promise<T> {
  const actor = await actorFor(db, userId);
  const requestId = `demo-seed-${randomBytes(4).toString('hex')}`;
  return withTransaction(db, { requestId, actorId: userId }, (trx) => fn(trx, { actor, keyring, requestId }));
}

/** Checklist answers with `yes` questions answered yes (the first ones), the rest no. */
export function demoChecklist(yes: number) {
  const answers: Record<string, unknown> = {};
  for (const question of CURRENT_CHECKLIST.questions) {
    answers[question.id] = { answer: question.number <= yes ? 'yes' : 'no' };
  }
  return { tool: 'dash_ric' as const, version: CURRENT_CHECKLIST.version, answers };
}

export type DemoReferral = {
  key: string;
  referrer: string;
  score: number;
  people: PersonInput[];
  answers?: Record<string, unknown>;
  submit: boolean;
};

/** Makes one referral as its referrer; returns its id. */
export async function makeDemoReferral(db: Kysely<Schema>, keyring: Keyring, areaId: string, referral: DemoReferral) {
  return actAs(db, keyring, referral.referrer, async (trx, ctx) => {
    const { id } = await createDraft(trx, ctx, areaId);
    await saveAnswers(trx, ctx, id, {
      checklist: demoChecklist(referral.score),
      recentIncidents: 0,
      ...referral.answers,
    });
    for (const person of referral.people) await addPerson(trx, ctx, id, person);
    if (referral.submit) {
      await submit(trx, ctx, id, `demo-${referral.key}-${randomBytes(6).toString('hex')}`, NATIONAL_DEFAULTS);
    }
    return id;
  });
}
