import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson, casePeople } from '../referrals/people.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';
import { as, checklistWith, newKey } from '../referrals/testing.ts';

const { app, database, owner } = await createTestApp();
const { db } = database;
const area = await makeArea(db);
const otherArea = await makeArea(db);
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const idva = await makeUser(db, { roles: [{ areaId: area.id, role: 'idva' }] });
const otherCoordinator = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'coordinator' }] });

type P = { givenNames: string; familyName: string; dateOfBirth: string | null };
async function referral(actor: Actor, victim: P, perpetrator: P, draftOnly = false) {
  const id = await as(db, actor, async (trx, ctx) => {
    const draft = await createDraft(trx, ctx, area.id);
    await saveAnswers(trx, ctx, draft.id, { checklist: checklistWith(15), recentIncidents: 0 });
    await addPerson(trx, ctx, draft.id, { role: 'victim', ...victim });
    await addPerson(trx, ctx, draft.id, { role: 'perpetrator', ...perpetrator });
    return draft.id;
  });
  if (!draftOnly) await as(db, actor, (trx, ctx) => submit(trx, ctx, id, newKey(), NATIONAL_DEFAULTS));
  const row = await owner.db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const people = await as(db, coordinator, (trx) => casePeople(trx, row.case_id));
  return { id, reference: row.reference, victim: people.find((p) => p.role === 'victim')! };
}

const kieran = { givenNames: 'Kieran', familyName: 'Doyle', dateOfBirth: '1982-07-19' };
const earlier = await referral(
  referrer,
  { givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04' },
  kieran,
);
// Someone else's unsubmitted draft naming a similar person: not on record, never shown.
await referral(referrer, { givenNames: 'Jonathon', familyName: 'Smith', dateOfBirth: '1985-03-04' }, kieran, true);
const latest = await referral(referrer, { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' }, kieran);
const page = `/areas/${area.id}/referrals/${latest.id}/people`;
const signedIn = (userId: string) => new TestClient(app).signInAs(db, userId);

describe("the coordinator's review of who the people on a referral are", () => {
  test('shows "Jonathan Smith" as a possible match for "Jon Smyth", with the evidence, and nothing from drafts', async () => {
    const client = await signedIn(coordinator.userId);
    const res = await client.get(page);
    assert.equal(res.statusCode, 200);
    const victimCard = res.body.slice(res.body.indexOf(`id="person-${latest.victim.id}"`));
    assert.match(victimCard, /Jonathan Smith<\/strong>, born 4 March 1985/);
    assert.match(victimCard, /Possible match/);
    assert.match(victimCard, new RegExp(`On referral:\\s*${earlier.reference}`));
    assert.match(victimCard, /Date of birth/);
    assert.doesNotMatch(res.body, /Jonathon/);
    // The perpetrator was matched exactly at submission: shown for the coordinator to confirm or undo.
    const perpetratorCard = res.body.slice(res.body.indexOf('Perpetrator: Kieran Doyle'));
    assert.match(
      perpetratorCard,
      /Linked as the same person as Kieran Doyle, born 19 July 1982 \(exact match of names and date of birth, found at submission\)/,
    );
  });

  test('"Same person" makes the referral a repeat of the earlier one; undo takes it back', async () => {
    const client = await signedIn(coordinator.userId);
    await client.get(page);
    const linked = await client.post(`${page.replace('/people', '')}/people/${latest.victim.id}`, {
      decision: 'same',
      candidatePersonId: earlier.victim.id,
    });
    assert.equal(linked.statusCode, 303);
    const row = await owner.db.selectFrom('referral').selectAll().where('id', '=', latest.id).executeTakeFirstOrThrow();
    assert.equal(row.repeat_of_referral_id, earlier.id);
    const after = await client.follow(String(linked.headers.location));
    assert.match(after.body, /Linked as the same person as Jonathan Smith/);
    const linkId = /\/links\/([0-9a-f-]{36})\/undo/.exec(after.body)![1]!;
    const undone = await client.post(`/areas/${area.id}/referrals/${latest.id}/links/${linkId}/undo`);
    assert.equal(undone.statusCode, 303);
    const back = await owner.db
      .selectFrom('referral')
      .selectAll()
      .where('id', '=', latest.id)
      .executeTakeFirstOrThrow();
    assert.equal(back.repeat_of_referral_id, null);
  });

  test('a coordinator barred from the earlier case is not shown its person as a candidate', async () => {
    const barred = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
    const earlierCase = await owner.db
      .selectFrom('referral')
      .select('case_id')
      .where('id', '=', earlier.id)
      .executeTakeFirstOrThrow();
    await owner.db
      .insertInto('case_exclusion')
      .values({ case_id: earlierCase.case_id, user_id: barred.userId, reason: 'Knows the family', created_by: null })
      .execute();
    const res = await (await signedIn(barred.userId)).get(page);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /Jonathan Smith/);
    assert.doesNotMatch(res.body, new RegExp(String(earlier.reference)));
  });

  test('a tampered decision is a clear 400, not a 500', async () => {
    const client = await signedIn(coordinator.userId);
    await client.get(page);
    const res = await client.post(`/areas/${area.id}/referrals/${latest.id}/people/${latest.victim.id}`, {
      decision: 'merge',
    });
    assert.equal(res.statusCode, 400);
  });

  test("is a missing page to the area's IDVA, the referrer and another area's coordinator", async () => {
    for (const user of [idva, referrer, otherCoordinator]) {
      const client = await signedIn(user.userId);
      assert.equal((await client.get(page)).statusCode, 404);
    }
    const other = await signedIn(otherCoordinator.userId);
    assert.equal((await other.get(`/areas/${otherArea.id}/referrals/${latest.id}/people`)).statusCode, 404);
  });
});
