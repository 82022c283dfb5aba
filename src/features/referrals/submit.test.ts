import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { AppError } from '../../platform/http/errors.ts';
import { createDraft, saveAnswers } from './drafts.ts';
import { exactPersonMatcher, type PersonMatcher } from './matching.ts';
import { addPerson } from './people.ts';
import { REPEAT_DEFINITION_VERSION } from './rules/repeat.ts';
import { NATIONAL_DEFAULTS } from './rules/settings.ts';
import { ReferralNotSubmittable, submit } from './submit.ts';
import { as, checklistWith, newKey } from './testing.ts';

const { db } = await createTestDatabase();
await migrate(db);

const area = await makeArea(db, 'Harbour Vale MARAC');
const otherArea = await makeArea(db, 'Hill View MARAC'); // the same initials: HV
const police = await makeAgency(db, area.id, 'police');
const gp = await makeAgency(db, area.id, 'primary_care');
const policeReferrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const gpReferrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const otherAreaReferrer = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'referrer' }] });

type Person = { givenNames: string; familyName: string; dateOfBirth?: string | null };

/** A draft with a victim, perpetrators and a checklist of `score` yes answers. */
async function draft(
  actor: Actor,
  areaId: string,
  victim: Person,
  perpetrators: Person[],
  score: number,
  extra: Record<string, unknown> = {},
) {
  return as(db, actor, async (trx, ctx) => {
    const { id } = await createDraft(trx, ctx, areaId);
    await saveAnswers(trx, ctx, id, { checklist: checklistWith(score), recentIncidents: 0, ...extra });
    await addPerson(trx, ctx, id, { role: 'victim', ...victim });
    for (const perpetrator of perpetrators) await addPerson(trx, ctx, id, { role: 'perpetrator', ...perpetrator });
    return id;
  });
}

const submitAs = (actor: Actor, id: string, key = newKey(), matcher: PersonMatcher = exactPersonMatcher) =>
  as(db, actor, (trx, ctx) => submit(trx, ctx, id, key, NATIONAL_DEFAULTS, matcher));

const stored = (id: string) => db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const events = (id: string) => db.selectFrom('referral_event').selectAll().where('referral_id', '=', id).execute();

const audits = (id: string, action: 'referral.submitted') =>
  db.selectFrom('audit_event').selectAll().where('subject_id', '=', id).where('action', '=', action).execute();

describe('submitting a referral', () => {
  test('a referral meeting a criterion is submitted with a reference, an event and an audit row', async () => {
    const id = await draft(
      policeReferrer,
      area.id,
      { givenNames: 'Jo', familyName: 'Reed', dateOfBirth: '1985-01-02' },
      [{ givenNames: 'Lee', familyName: 'Reed', dateOfBirth: '1983-03-04' }],
      14,
    );
    const result = await submitAs(policeReferrer, id);
    const year = new Date().getUTCFullYear();
    assert.match(result.reference, new RegExp(`^HV-(${year}|${year - 1}|${year + 1})-\\d{4}$`));
    assert.deepEqual(result.criteriaMet, ['visible_high_risk']);
    assert.equal(result.score, 14);
    const row = await stored(id);
    assert.equal(row.status, 'submitted');
    assert.equal(row.reference, result.reference);
    assert.deepEqual(row.criteria_met, ['visible_high_risk']);
    assert.equal(row.repeat_definition_version, REPEAT_DEFINITION_VERSION);
    assert.deepEqual(
      (await events(id)).map((e) => [e.kind, e.actor_user_id]),
      [['submitted', policeReferrer.userId]],
    );
    assert.equal((await audits(id, 'referral.submitted')).length, 1);
  });

  test('the same submission key twice makes one referral: same reference, no second event', async () => {
    const id = await draft(gpReferrer, area.id, { givenNames: 'Ray', familyName: 'Stone' }, [], 16);
    const key = newKey();
    const first = await submitAs(gpReferrer, id, key);
    const second = await submitAs(gpReferrer, id, key);
    assert.deepEqual(second, first);
    assert.equal((await events(id)).length, 1);
    assert.equal((await audits(id, 'referral.submitted')).length, 1);
    // Another key for a submitted referral is refused rather than submitted again.
    await assert.rejects(
      submitAs(gpReferrer, id, newKey()),
      (error: unknown) => error instanceof AppError && error.status === 409,
    );
    assert.equal((await events(id)).length, 1);
  });

  test('two submissions with one key at the same moment make one referral (the second waits for the first)', async () => {
    const id = await draft(gpReferrer, area.id, { givenNames: 'Mo', familyName: 'Quinn' }, [], 16);
    const key = newKey();
    const [a, b] = await Promise.all([submitAs(gpReferrer, id, key), submitAs(gpReferrer, id, key)]);
    assert.deepEqual(a, b);
    assert.equal((await events(id)).length, 1);
    assert.equal((await audits(id, 'referral.submitted')).length, 1);
  });

  test('references are unique, also between areas whose names give the same prefix', async () => {
    const a = await draft(policeReferrer, area.id, { givenNames: 'Kim', familyName: 'Lowe' }, [], 20);
    const b = await draft(otherAreaReferrer, otherArea.id, { givenNames: 'Kim', familyName: 'Lowe' }, [], 20);
    const ra = await submitAs(policeReferrer, a);
    const rb = await submitAs(otherAreaReferrer, b);
    assert.match(rb.reference, /^HV-/);
    assert.notEqual(ra.reference, rb.reference);
  });

  test('a referral meeting no criterion is refused with the rules’ message and stays a draft', async () => {
    const id = await draft(policeReferrer, area.id, { givenNames: 'Pat', familyName: 'Hale' }, [], 3);
    await assert.rejects(submitAs(policeReferrer, id), (error: unknown) => {
      assert.ok(error instanceof ReferralNotSubmittable);
      assert.match(error.message, /^This referral does not meet any MARAC criterion: the checklist score is 3, below/);
      return true;
    });
    const row = await stored(id);
    assert.equal(row.status, 'draft');
    assert.equal(row.reference, null);
    assert.deepEqual(await events(id), []);
  });

  test('professional judgement below the threshold needs its rationale, and then is enough', async () => {
    const id = await draft(policeReferrer, area.id, { givenNames: 'Ash', familyName: 'Cole' }, [], 5, {
      professionalJudgement: true,
    });
    await assert.rejects(submitAs(policeReferrer, id), (error: unknown) => {
      assert.ok(error instanceof ReferralNotSubmittable);
      assert.deepEqual(
        error.errors.map((e) => e.field),
        ['professionalJudgement.rationale'],
      );
      return true;
    });
    await as(db, policeReferrer, (trx, ctx) =>
      saveAnswers(trx, ctx, id, { professionalJudgementRationale: 'Threats to kill with a knife last week' }),
    );
    const result = await submitAs(policeReferrer, id);
    assert.deepEqual(result.criteriaMet, ['professional_judgement']);
  });

  test('a referral without a victim is refused', async () => {
    const id = await as(db, policeReferrer, async (trx, ctx) => {
      const { id } = await createDraft(trx, ctx, area.id);
      await saveAnswers(trx, ctx, id, { checklist: checklistWith(20) });
      return id;
    });
    await assert.rejects(submitAs(policeReferrer, id), ReferralNotSubmittable);
  });

  test('an unanswered checklist question is refused with the checklist’s message', async () => {
    const checklist = checklistWith(20);
    delete checklist.answers['q7'];
    const id = await draft(policeReferrer, area.id, { givenNames: 'Bo', familyName: 'Vance' }, [], 0, { checklist });
    await assert.rejects(submitAs(policeReferrer, id), (error: unknown) => {
      assert.ok(error instanceof ReferralNotSubmittable);
      assert.deepEqual(
        error.errors.map((e) => e.message),
        ["Select yes, no or don't know for question 7"],
      );
      return true;
    });
  });
});

describe('the repeat rule, through the exact matcher', () => {
  const victim = { givenNames: 'Zoë', familyName: "O'Neill", dateOfBirth: '1992-06-15' };
  const perpetrator = { givenNames: 'Dan', familyName: 'Price', dateOfBirth: '1990-01-20' };

  test('same victim and perpetrator within 12 months: a repeat of the previous referral, whatever the score', async () => {
    const first = await draft(policeReferrer, area.id, victim, [perpetrator], 15);
    await submitAs(policeReferrer, first);
    // Another agency, the names typed differently; a score of 2 alone would meet no criterion.
    const second = await draft(
      gpReferrer,
      area.id,
      { givenNames: 'ZOE', familyName: 'o’neill', dateOfBirth: '1992-06-15' },
      [{ givenNames: 'Dan ', familyName: 'PRICE', dateOfBirth: '1990-01-20' }],
      2,
    );
    const result = await submitAs(gpReferrer, second);
    assert.equal(result.repeatOfReferralId, first);
    assert.deepEqual(result.criteriaMet, ['repeat']);
    const row = await stored(second);
    assert.equal(row.repeat_of_referral_id, first);
    assert.equal(row.repeat_definition_version, REPEAT_DEFINITION_VERSION);
  });

  test('the same victim with a different perpetrator is not a repeat', async () => {
    const low = await draft(gpReferrer, area.id, victim, [{ ...perpetrator, givenNames: 'Daniel' }], 2);
    await assert.rejects(submitAs(gpReferrer, low), /does not meet any MARAC criterion.*it is not a repeat/);
    const high = await draft(
      gpReferrer,
      area.id,
      victim,
      [{ givenNames: 'Max', familyName: 'Hart', dateOfBirth: '1980-02-02' }],
      18,
    );
    const result = await submitAs(gpReferrer, high);
    assert.equal(result.repeatOfReferralId, null);
    assert.deepEqual(result.criteriaMet, ['visible_high_risk']);
  });

  test('a previous referral more than 12 months ago is not repeated', async () => {
    const old = { givenNames: 'Ivy', familyName: 'Bell', dateOfBirth: '1970-07-07' };
    const abuser = { givenNames: 'Rob', familyName: 'Bell', dateOfBirth: '1969-09-09' };
    const first = await draft(policeReferrer, area.id, old, [abuser], 15);
    await submitAs(policeReferrer, first);
    // Moved back in time on the owner's connection, as if submitted 13 months ago.
    await db
      .updateTable('referral')
      .set({ submitted_at: sql<Date>`now() - interval '13 months'` })
      .where('id', '=', first)
      .execute();
    const second = await draft(gpReferrer, area.id, old, [abuser], 2);
    await assert.rejects(submitAs(gpReferrer, second), ReferralNotSubmittable);
  });

  test('the matcher is a seam: a matcher that finds nobody finds no repeat', async () => {
    const nobody: PersonMatcher = { match: async () => null };
    const again = await draft(gpReferrer, area.id, victim, [perpetrator], 2);
    await assert.rejects(submitAs(gpReferrer, again, newKey(), nobody), /it is not a repeat/);
    const withExact = await submitAs(gpReferrer, again);
    assert.ok(withExact.repeatOfReferralId);
  });

  test('another area’s referrals are never matched', async () => {
    const first = await draft(otherAreaReferrer, otherArea.id, victim, [perpetrator], 15);
    await submitAs(otherAreaReferrer, first);
    const id = await draft(otherAreaReferrer, otherArea.id, victim, [perpetrator], 2);
    const result = await submitAs(otherAreaReferrer, id);
    assert.equal(result.repeatOfReferralId, first);
    // And the match function answers nobody without a role in the area.
    const outsider = await makeUser(db, { roles: [{ areaId: area.id, role: 'chair' }] });
    const match = await as(db, outsider, (trx) =>
      exactPersonMatcher.match(trx, otherArea.id, { ...victim, aliases: [], caseId: id }),
    );
    assert.equal(match, null);
  });

  test('a person without a date of birth is never matched', async () => {
    const match = await as(db, policeReferrer, (trx) =>
      exactPersonMatcher.match(trx, area.id, {
        givenNames: 'Zoe',
        familyName: "O'Neill",
        dateOfBirth: null,
        aliases: [],
        caseId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    assert.equal(match, null);
    const withDob = await as(db, policeReferrer, (trx) =>
      exactPersonMatcher.match(trx, area.id, {
        ...victim,
        aliases: [],
        caseId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    assert.ok(withDob);
  });
});

describe('the area’s manager sign-off, and resubmission, in the service', () => {
  test('an area requiring sign-off refuses a referral without the manager’s name and date', async () => {
    const signOffArea = await makeArea(db);
    await db
      .updateTable('marac_area')
      .set({ requires_manager_sign_off: true })
      .where('id', '=', signOffArea.id)
      .execute();
    const actor = await makeUser(db, { roles: [{ areaId: signOffArea.id, role: 'referrer' }] });
    const id = await draft(actor, signOffArea.id, { givenNames: 'Mo', familyName: 'Sign' }, [], 14);
    await assert.rejects(submitAs(actor, id), (error: unknown) => {
      assert.ok(error instanceof ReferralNotSubmittable);
      assert.deepEqual(
        error.errors.map((e) => e.field),
        ['managerName', 'managerSignOffDate'],
      );
      return true;
    });
    await as(db, actor, (trx, ctx) =>
      saveAnswers(trx, ctx, id, { managerSignOffDate: '2025-01-02', details: { managerName: 'Pat Lead' } }),
    );
    assert.equal((await submitAs(actor, id)).criteriaMet[0], 'visible_high_risk');
  });

  test('a returned referral is resubmitted under its reference with a new key; the old key does not stop it', async () => {
    const id = await draft(gpReferrer, area.id, { givenNames: 'Ira', familyName: 'Back' }, [], 14);
    const oldKey = newKey();
    const first = await submitAs(gpReferrer, id, oldKey);
    await db.updateTable('referral').set({ status: 'returned' }).where('id', '=', id).execute();
    const again = await submitAs(gpReferrer, id, oldKey);
    assert.equal(again.reference, first.reference);
    const row = await stored(id);
    assert.equal(row.status, 'submitted');
    assert.deepEqual(
      (await events(id)).map((e) => e.kind),
      ['submitted', 'resubmitted'],
    );
  });
});
