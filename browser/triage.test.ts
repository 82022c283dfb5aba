/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../src/platform/access/actor.ts';
import { submittedReferral } from '../src/features/triage/testing.ts';
import { startBrowserSession } from './harness.ts';

const session = await startBrowserSession();
const db = session.database.db;
const coordinator = session.credentials.find((c) => c.role === 'Coordinator')!;

/** The demo user as the session layer would see them. */
async function actorFor(email: string): Promise<Actor> {
  const user = await db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('membership')
    .select(['area_id as areaId', 'role'])
    .where('user_id', '=', user.id)
    .execute();
  return { userId: user.id, agencyId: user.agency_id, globalRole: user.global_role, memberships, sessionId: 'x' };
}

const coordinatorActor = await actorFor(coordinator.email);
const areaId = coordinatorActor.memberships.find((m) => m.role === 'coordinator')!.areaId;
const referrerRow = await db
  .selectFrom('membership')
  .innerJoin('app_user', 'app_user.id', 'membership.user_id')
  .select('app_user.email')
  .where('membership.area_id', '=', areaId)
  .where('membership.role', '=', 'referrer')
  .executeTakeFirstOrThrow();
const referral = await submittedReferral(db, await actorFor(referrerRow.email), areaId, {
  victim: ['Robin', 'Example'],
  children: 1,
});

describe('coordinator triage, in Chromium', () => {
  test('the queue, the referral and every decision page pass axe; a decision with errors, then without', async () => {
    const page = await session.newPage();
    await session.signIn(page, coordinator);
    await session.check(page);
    const queue = `/areas/${areaId}/referrals`;
    assert.equal(await session.visit(page, queue), 200);
    assert.equal(await session.visit(page, `${queue}?sort=score`), 200);
    const view = `${queue}/${referral.id}`;
    assert.equal(await session.visit(page, view), 200);
    for (const decision of ['accept', 'request-information', 'reject', 'emergency', 'transfer']) {
      assert.equal(await session.visit(page, `${view}/${decision}`), 200, decision);
    }

    await session.visit(page, `${view}/request-information`);
    await page.getByRole('button', { name: 'Ask the referrer for more information' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await session.check(page);
    await page.getByLabel('What do you need from the referrer?').fill('Please add the children’s school.');
    await page.getByRole('button', { name: 'Ask the referrer for more information' }).click();
    await page.getByText('Referral returned to the referrer').waitFor();
    await session.check(page);
    assert.ok(await page.getByText('Please add the children’s school.').isVisible());

    // Accepting is no longer open: the page says why, and passes axe.
    assert.equal(await session.visit(page, `${view}/accept`), 409);
  });
});
