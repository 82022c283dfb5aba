import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson } from '../referrals/people.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';
import { as, checklistWith, newKey } from '../referrals/testing.ts';

const { app, database } = await createTestApp();
const { db } = database;
const area = await makeArea(db);
const otherArea = await makeArea(db);
const police = await makeAgency(db, area.id, 'police');
const housing = await makeAgency(db, area.id, 'housing');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const secondCoordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const chair = await makeUser(db, { roles: [{ areaId: area.id, role: 'chair' }] });
const policeRep = await makeUser(db, {
  agencyId: police.id,
  roles: [{ areaId: area.id, role: 'agency_representative' }],
});
const housingRep = await makeUser(db, {
  agencyId: housing.id,
  roles: [{ areaId: area.id, role: 'agency_representative' }],
});
const otherCoordinator = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'coordinator' }] });

const { id: referralId, caseId } = await as(db, referrer, async (trx, ctx) => {
  const draft = await createDraft(trx, ctx, area.id);
  await saveAnswers(trx, ctx, draft.id, { checklist: checklistWith(15), recentIncidents: 0 });
  await addPerson(trx, ctx, draft.id, {
    role: 'victim',
    givenNames: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1990-05-06',
  });
  await addPerson(trx, ctx, draft.id, {
    role: 'child',
    givenNames: '<script>alert(1)</script>',
    familyName: 'Example',
  });
  return draft;
});
const { reference } = await as(db, referrer, (trx, ctx) => submit(trx, ctx, referralId, newKey(), NATIONAL_DEFAULTS));

const signedIn = (userId: string) => new TestClient(app).signInAs(db, userId);
const casePage = `/cases/${caseId}`;
const exclusions = `/areas/${area.id}/cases/${caseId}/exclusions`;

describe('the case page', () => {
  test('shows the coordinator the people, the referral and who has viewed it, and audits the read', async () => {
    const page = await (await signedIn(coordinator.userId)).get(casePage);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ada Example, born 6 May 1990/);
    assert.match(page.body, new RegExp(`href="/areas/${area.id}/referrals/${referralId}">${reference}</a>`));
    assert.match(page.body, /data-testid="viewed-by"/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(page.body, /<script>alert/);
    const audit = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'case.viewed')
      .where('actor_user_id', '=', coordinator.userId)
      .executeTakeFirstOrThrow();
    assert.equal(audit.case_id, caseId);
    assert.equal(audit.purpose, 'safeguarding');
  });

  test('shows a chair and an agency with a need to know the case, without the viewers panel', async () => {
    for (const user of [chair, policeRep]) {
      const page = await (await signedIn(user.userId)).get(casePage);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ada Example/);
      assert.doesNotMatch(page.body, /data-testid="viewed-by"/);
      assert.doesNotMatch(page.body, /Bar a user/);
    }
  });

  test('is a missing page to anyone else', async () => {
    for (const user of [housingRep, otherCoordinator, referrer]) {
      const page = await (await signedIn(user.userId)).get(casePage);
      assert.equal(page.statusCode, 404);
      assert.doesNotMatch(page.body, /Ada/);
    }
  });
});

describe('barring a user from a case', () => {
  test('validates the form with every error at once and keeps the answers', async () => {
    const client = await signedIn(coordinator.userId);
    await client.get(exclusions);
    const empty = await client.post(exclusions, { email: '', reason: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /Enter the work email address of the user to bar/);
    assert.match(empty.body, /Enter why this user must not see this case/);
    const unknown = await client.post(exclusions, { email: 'nobody@example.org', reason: '<b>knows</b> the family' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /There is no active or invited user/);
    assert.match(unknown.body, /&lt;b&gt;knows&lt;\/b&gt; the family/);
    const self = await client.post(exclusions, { email: coordinator.email, reason: 'Test' });
    assert.match(self.body, /You cannot bar yourself/);
  });

  test('takes the case away from the barred user at once, is audited, and can be undone', async () => {
    const client = await signedIn(coordinator.userId);
    await client.get(exclusions);
    const barred = await client.post(exclusions, { email: secondCoordinator.email, reason: 'Knows the family' });
    assert.equal(barred.statusCode, 303);
    const list = await client.follow(String(barred.headers.location));
    assert.match(list.body, /User barred from this case/);
    assert.match(list.body, /Knows the family/);
    const again = await client.post(exclusions, { email: secondCoordinator.email, reason: 'Again' });
    assert.match(again.body, /already barred/);

    const barredClient = await signedIn(secondCoordinator.userId);
    assert.equal((await barredClient.get(casePage)).statusCode, 404);
    assert.equal((await barredClient.get(`/areas/${area.id}/referrals/${referralId}`)).statusCode, 404);

    const added = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'admin.exclusion_added')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [added.subject_id, added.case_id, added.actor_user_id],
      [secondCoordinator.userId, caseId, coordinator.userId],
    );

    const removed = await client.post(`${exclusions}/${secondCoordinator.userId}/remove`);
    assert.equal(removed.statusCode, 303);
    assert.equal((await barredClient.get(casePage)).statusCode, 200);
    const audits = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'admin.exclusion_removed')
      .execute();
    assert.equal(audits.length, 1);
  });

  test("is a missing page to a chair and to another area's coordinator", async () => {
    for (const user of [chair, otherCoordinator]) {
      const client = await signedIn(user.userId);
      assert.equal((await client.get(exclusions)).statusCode, 404);
    }
    const other = await signedIn(otherCoordinator.userId);
    assert.equal((await other.get(`/areas/${otherArea.id}/cases/${caseId}/exclusions`)).statusCode, 404);
  });
});

describe("the case's history", () => {
  test('flags a serial perpetrator and shows another area only as its name and a date', async () => {
    const otherReferrer = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'referrer' }] });
    const perpetrator = {
      role: 'perpetrator' as const,
      givenNames: 'Vince',
      familyName: 'Harrow',
      dateOfBirth: '1979-01-02',
    };
    const make = async (actor: typeof referrer, areaId: string, victim: string) => {
      const made = await as(db, actor, async (trx, ctx) => {
        const draft = await createDraft(trx, ctx, areaId);
        await saveAnswers(trx, ctx, draft.id, { checklist: checklistWith(14), recentIncidents: 0 });
        await addPerson(trx, ctx, draft.id, {
          role: 'victim',
          givenNames: victim,
          familyName: 'Stone',
          dateOfBirth: '1991-02-03',
        });
        await addPerson(trx, ctx, draft.id, perpetrator);
        return draft;
      });
      await as(db, actor, (trx, ctx) => submit(trx, ctx, made.id, newKey(), NATIONAL_DEFAULTS));
      return made;
    };
    const first = await make(referrer, area.id, 'Bea');
    await make(referrer, area.id, 'Cleo');
    await make(otherReferrer, otherArea.id, 'Bea');

    const page = await (await signedIn(coordinator.userId)).get(`/cases/${first.caseId}`);
    assert.match(
      page.body,
      /Vince Harrow, born 2 January 1979 <strong class="govuk-tag govuk-tag--red">Serial perpetrator<\/strong>/,
    );
    const known = /data-testid="known-elsewhere">([^<]*)</.exec(page.body)?.[1] ?? '';
    assert.match(
      known,
      new RegExp(`Known to the MARAC in ${otherArea.name} on \\d{1,2} \\w+ \\d{4} — contact its coordinator`),
    );
    // Nothing of the other area's referral: no reference, no perpetrator details beyond this area's own.
    assert.doesNotMatch(page.body, /[A-Z]+-\d{4}-\d{4}[^<]*\(an earlier case\)/);

    const chairPage = await (await signedIn(chair.userId)).get(`/cases/${first.caseId}`);
    assert.doesNotMatch(chairPage.body, /known-elsewhere/);
  });
});
