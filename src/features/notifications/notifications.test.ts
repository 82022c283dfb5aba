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

const { app, database, owner } = await createTestApp();
const { db } = database;
const area = await makeArea(db);
const otherArea = await makeArea(db);
const police = await makeAgency(db, area.id, 'police');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const idva = await makeUser(db, { roles: [{ areaId: area.id, role: 'idva' }] });
const barredCoordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const chair = await makeUser(db, { roles: [{ areaId: area.id, role: 'chair' }] });
const otherCoordinator = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'coordinator' }] });

const { id: referralId, caseId } = await as(db, referrer, async (trx, ctx) => {
  const draft = await createDraft(trx, ctx, area.id);
  await saveAnswers(trx, ctx, draft.id, { checklist: checklistWith(15), recentIncidents: 0 });
  await addPerson(trx, ctx, draft.id, { role: 'victim', givenNames: 'Ada', familyName: 'Example', dateOfBirth: null });
  return draft;
});
await owner.db
  .insertInto('case_exclusion')
  .values({ case_id: caseId, user_id: barredCoordinator.userId, reason: 'Conflict of interest', created_by: null })
  .execute();
const { reference } = await as(db, referrer, (trx, ctx) => submit(trx, ctx, referralId, newKey(), NATIONAL_DEFAULTS));

const signedIn = (userId: string) => new TestClient(app).signInAs(db, userId);

describe('notifications of a new referral', () => {
  test("go to the area's coordinators and IDVA service, with the reference and no personal data", async () => {
    for (const user of [coordinator, idva]) {
      const client = await signedIn(user.userId);
      const page = await client.get('/notifications');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`New referral ${reference} is waiting for triage`));
      assert.match(page.body, new RegExp(`href="/areas/${area.id}/referrals/${referralId}"`));
      assert.doesNotMatch(page.body, /Ada|Example/);
      assert.match(page.body, /data-testid="unread-count">1</);
    }
  });

  test('go to nobody else: not the referrer, a chair, another area, or a coordinator barred from the case', async () => {
    for (const user of [referrer, chair, otherCoordinator, barredCoordinator]) {
      const page = await (await signedIn(user.userId)).get('/notifications');
      assert.match(page.body, /You have no notifications/);
      assert.doesNotMatch(page.body, /unread-count/);
    }
  });

  test('can be marked as read, which is audited once', async () => {
    const client = await signedIn(coordinator.userId);
    await client.get('/notifications');
    const marked = await client.post('/notifications/read');
    assert.equal(marked.statusCode, 303);
    const page = await client.get('/notifications');
    assert.doesNotMatch(page.body, /unread-count/);
    assert.match(page.body, new RegExp(reference));
    await client.post('/notifications/read'); // nothing left to mark: no second audit row
    const audits = await db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_user_id', '=', coordinator.userId)
      .where('action', '=', 'notification.read')
      .execute();
    assert.equal(audits.length, 1);
    // The IDVA's copy is their own and still unread.
    const idvaPage = await (await signedIn(idva.userId)).get('/notifications');
    assert.match(idvaPage.body, /data-testid="unread-count">1</);
  });

  test('cannot be read or marked by anyone signed out', async () => {
    const anonymous = new TestClient(app);
    assert.equal((await anonymous.get('/notifications')).statusCode, 303);
  });
});
