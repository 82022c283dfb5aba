import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestDatabase } from '../../../test/harness.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { migrate } from '../../platform/db/migrator.ts';
import type { AppError } from '../../platform/http/errors.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson, casePeople } from '../referrals/people.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';
import { as, checklistWith, newKey } from '../referrals/testing.ts';
import { transfer } from '../triage/decisions.ts';
import { decideLink, knownElsewhere, perpetratorVictimCount, undoLink } from './links.ts';

const { db } = await createTestDatabase();
await migrate(db);
const area = await makeArea(db);
const otherArea = await makeArea(db);
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const idva = await makeUser(db, { roles: [{ areaId: area.id, role: 'idva' }] });
const otherReferrer = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'referrer' }] });
const otherCoordinator = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'coordinator' }] });

type P = { givenNames: string; familyName: string; dateOfBirth: string | null };
async function referral(actor: Actor, areaId: string, victim: P, perpetrator: P, score: number) {
  const id = await as(db, actor, async (trx, ctx) => {
    const draft = await createDraft(trx, ctx, areaId);
    await saveAnswers(trx, ctx, draft.id, { checklist: checklistWith(score), recentIncidents: 0 });
    await addPerson(trx, ctx, draft.id, { role: 'victim', ...victim });
    await addPerson(trx, ctx, draft.id, { role: 'perpetrator', ...perpetrator });
    return draft.id;
  });
  await as(db, actor, (trx, ctx) => submit(trx, ctx, id, newKey(), NATIONAL_DEFAULTS));
  const row = await db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const people = await as(db, coordinatorFor(areaId), (trx) => casePeople(trx, row.case_id));
  return { id, caseId: row.case_id, victim: people.find((p) => p.role === 'victim')!, people };
}
const coordinatorFor = (areaId: string) => (areaId === area.id ? coordinator : otherCoordinator);

const kieran = { givenNames: 'Kieran', familyName: 'Doyle', dateOfBirth: '1982-07-19' };
const first = await referral(
  referrer,
  area.id,
  { givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04' },
  kieran,
  16,
);
const second = await referral(
  referrer,
  area.id,
  { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' },
  kieran,
  15,
);
const stored = (id: string) => db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const decide = (actor: Actor, input: Parameters<typeof decideLink>[2]) =>
  as(db, actor, (trx, ctx) => decideLink(trx, ctx, input, NATIONAL_DEFAULTS));
const audits = (action: string) =>
  db
    .selectFrom('audit_event')
    .selectAll()
    .where('action', '=', action as never)
    .execute();

describe("a coordinator's person-matching decisions", () => {
  test('a fuzzy match is not linked on its own: the second referral is not yet a repeat', async () => {
    const row = await stored(second.id);
    assert.equal(row.repeat_of_referral_id, null);
    assert.deepEqual(row.criteria_met, ['visible_high_risk']);
  });

  test('"same person" links the identities, makes the referral a repeat, and is audited; undo reverses both', async () => {
    const { linkId } = await decide(coordinator, {
      referralId: second.id,
      personId: second.victim.id,
      decision: 'same',
      candidatePersonId: first.victim.id,
    });
    const linked = await stored(second.id);
    assert.equal(linked.repeat_of_referral_id, first.id);
    assert.deepEqual(linked.criteria_met, ['visible_high_risk', 'repeat']);
    // The earlier referral cannot repeat the later one.
    assert.equal((await stored(first.id)).repeat_of_referral_id, null);
    const confirmed = await audits('person.match_confirmed');
    assert.deepEqual(
      confirmed.map((a) => [a.subject_id, a.case_id, a.actor_user_id, a.purpose]),
      [[second.victim.id, second.caseId, coordinator.userId, 'triage']],
    );

    await assert.rejects(
      decide(coordinator, {
        referralId: second.id,
        personId: second.victim.id,
        decision: 'same',
        candidatePersonId: first.victim.id,
      }),
      (error: AppError) => error.status === 409,
    );

    await as(db, coordinator, (trx, ctx) => undoLink(trx, ctx, second.id, linkId, NATIONAL_DEFAULTS));
    const undone = await stored(second.id);
    assert.equal(undone.repeat_of_referral_id, null);
    assert.deepEqual(undone.criteria_met, ['visible_high_risk']);
    const victim = await db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', second.victim.id)
      .executeTakeFirstOrThrow();
    assert.equal(victim.identity_id, second.victim.id);
    assert.equal((await audits('person.match_undone')).length, 1);
    await assert.rejects(
      as(db, coordinator, (trx, ctx) => undoLink(trx, ctx, second.id, linkId, NATIONAL_DEFAULTS)),
      (error: AppError) => error.status === 409,
    );
  });

  test('"not the same" and "new person" are recorded and audited and change no identity', async () => {
    await decide(coordinator, {
      referralId: second.id,
      personId: second.victim.id,
      decision: 'not_same',
      candidatePersonId: first.victim.id,
    });
    await decide(coordinator, { referralId: second.id, personId: second.victim.id, decision: 'new' });
    const victim = await db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', second.victim.id)
      .executeTakeFirstOrThrow();
    assert.equal(victim.identity_id, second.victim.id);
    assert.equal((await audits('person.match_rejected')).length, 1);
    assert.equal((await audits('person.marked_new')).length, 1);
    assert.equal((await stored(second.id)).repeat_of_referral_id, null);
  });

  test("only the area's coordinators may decide; everyone else gets the missing-page answer", async () => {
    for (const actor of [referrer, idva, otherCoordinator]) {
      await assert.rejects(
        decide(actor, {
          referralId: second.id,
          personId: second.victim.id,
          decision: 'same',
          candidatePersonId: first.victim.id,
        }),
        (error: AppError) => error.status === 404,
      );
    }
  });

  test("a candidate from another area, or from the referral's own case, cannot be linked", async () => {
    const elsewhere = await referral(
      otherReferrer,
      otherArea.id,
      { givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04' },
      { givenNames: 'Ray', familyName: 'Other', dateOfBirth: null },
      14,
    );
    for (const candidatePersonId of [elsewhere.victim.id, second.people.find((p) => p.role === 'perpetrator')!.id]) {
      await assert.rejects(
        decide(coordinator, { referralId: second.id, personId: second.victim.id, decision: 'same', candidatePersonId }),
        (error: AppError) => error.status === 404,
      );
    }
  });
});

describe('what the case shows about its people', () => {
  test('a perpetrator referred for two victims is a serial perpetrator', async () => {
    const perpetrator = first.people.find((p) => p.role === 'perpetrator')!;
    const identity = await db
      .selectFrom('person')
      .select('identity_id')
      .where('id', '=', perpetrator.id)
      .executeTakeFirstOrThrow();
    // The second referral names the same Kieran Doyle, matched exactly at submission, for a victim not yet linked.
    const count = await as(db, coordinator, (trx) => perpetratorVictimCount(trx, area.id, identity.identity_id));
    assert.equal(count, 2);
    const outsider = await as(db, otherCoordinator, (trx) =>
      perpetratorVictimCount(trx, area.id, identity.identity_id),
    );
    assert.equal(outsider, 0);
  });

  test("another area's referral shows as its area and date only, to this area's coordinator alone", async () => {
    const known = await as(db, coordinator, (trx) => knownElsewhere(trx, first.victim.id));
    assert.equal(known.length, 1);
    assert.deepEqual(Object.keys(known[0]!).sort(), ['areaName', 'referredOn']);
    assert.match(known[0]!.referredOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(await as(db, otherCoordinator, (trx) => knownElsewhere(trx, first.victim.id)), []);
    assert.deepEqual(await as(db, referrer, (trx) => knownElsewhere(trx, first.victim.id)), []);
  });
});

describe('a transfer', () => {
  test("leaves the sending area's links behind: the moved people are their own again, their decisions undone", async () => {
    const third = await referral(
      referrer,
      area.id,
      { givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04' },
      { givenNames: 'Nobody', familyName: 'Known', dateOfBirth: null },
      15,
    );
    const before = await db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', third.victim.id)
      .executeTakeFirstOrThrow();
    assert.equal(before.identity_id, first.victim.id, 'matched exactly at submission');
    await as(db, coordinator, (trx, ctx) => transfer(trx, ctx, area.id, third.id, otherArea.id, 'Moved away'));
    const after = await db.selectFrom('person').selectAll().where('id', '=', third.victim.id).executeTakeFirstOrThrow();
    assert.deepEqual([after.area_id, after.identity_id], [otherArea.id, third.victim.id]);
    const links = await db.selectFrom('person_link').selectAll().where('person_id', '=', third.victim.id).execute();
    assert.equal(links.length, 1);
    assert.notEqual(links[0]!.undone_at, null);
  });
});
