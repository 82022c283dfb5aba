/// <reference lib="dom" />
// The issues' acceptance, as a new user would try it in the demo: a GP-practice referrer refers a victim with two
// children and a checklist score of 15; the coordinator sees it on top of the queue, asks for more information;
// the referrer answers and resubmits; the coordinator accepts it and links the victim to the person already known
// ("Jon Smyth" born 3 April 1985 is the demo's "Jonathan Smith" born 4 March 1985), which makes it a repeat. A user
// of the other area reaches none of it by any URL, and the case's "who has viewed" shows the referrer and the
// coordinator alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserSession } from './harness.ts';
import { fill, follow, press as pressButton } from './steps.ts';

const session = await startBrowserSession();
const db = session.database.db;
const byEmail = (prefix: string, index: number) =>
  session.credentials.filter((c) => c.email.startsWith(`${prefix}.`))[index]!;
const gp = byEmail('health', 0);
const coordinator = byEmail('coordinator', 0);
const otherCoordinator = byEmail('coordinator', 1);
const otherReferrer = byEmail('referrer', 1);
const press = (page: Page, name: string) => pressButton(session, page, name);

async function signedIn(who: typeof gp) {
  const page = await session.newPage();
  await session.signIn(page, who);
  await session.check(page);
  return page;
}

/** Answers every checklist question on the page: yes for the first `yes`, then no. */
async function answerChecklistPage(page: Page, yes: number) {
  const names = await page
    .locator('input[type="radio"][name$="-answer"][value="yes"]')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).name));
  for (const [index, name] of names.entries()) {
    await page.locator(`[name="${name}"][value="${index < yes ? 'yes' : 'no'}"]`).check();
  }
  return names.length;
}

async function addChild(page: Page, givenNames: string, born: [string, string, string]) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /^Add (a|another) child$/ }).click()]);
  await session.check(page);
  await fill(page, {
    unborn: 'no',
    givenNames,
    familyName: 'Smyth',
    'dateOfBirth-day': born[0],
    'dateOfBirth-month': born[1],
    'dateOfBirth-year': born[2],
    relationship: 'child',
    inCareOf: 'victim',
    presentAtIncidents: 'yes',
  });
  await page.locator('input[type="radio"][name^="perpetrator-"][value="child"]').check();
  await press(page, 'Save and continue');
}

const areaId = (
  await db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select('membership.area_id')
    .where('app_user.email', '=', coordinator.email)
    .executeTakeFirstOrThrow()
).area_id;

describe('acceptance, in Chromium', () => {
  let referralId = '';
  let reference = '';
  test('a GP-practice referrer refers a victim with two children and a checklist score of 15', async () => {
    const page = await signedIn(gp);
    await follow(session, page, 'Start a referral');
    await press(page, 'Start referral');
    const taskList = page.url();
    referralId = taskList.split('/').pop()!;

    await follow(session, page, 'About you');
    await fill(page, { referrerJobTitle: 'GP', referrerPhone: '01632 960002', referrerWillAttend: 'no' });
    await press(page, 'Save and continue');
    await fill(page, {
      givenNames: 'Jon',
      familyName: 'Smyth',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '4',
      'dateOfBirth-year': '1985',
      gender: 'male',
      interpreterNeeded: 'no',
    });
    await press(page, 'Save and continue');
    await fill(page, {
      inRefuge: 'no',
      victimAddress: '12 Example Close',
      phone: '07700 900123',
      safeToCall: 'yes',
      safeToLeaveMessage: 'no',
      safeMethods: 'phone_call',
    });
    await press(page, 'Save and continue');
    await fill(page, {
      victimAware: 'yes',
      consentGiven: 'yes',
      fears: 'Kieran Doyle',
      wants: 'To be safe at home with the children',
      wantsToSpeakToPolice: 'not_asked',
    });
    await press(page, 'Save and continue');

    await session.visit(page, `/referrals/${referralId}/perpetrators`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add a perpetrator' }).click()]);
    await fill(page, {
      givenNames: 'Kieran',
      familyName: 'Doyle',
      'dateOfBirth-day': '19',
      'dateOfBirth-month': '7',
      'dateOfBirth-year': '1982',
      relationship: 'ex_partner',
      riskToProfessionals: 'no',
    });
    await press(page, 'Save and continue');

    await session.visit(page, `/referrals/${referralId}/children`);
    await addChild(page, 'Poppy', ['1', '5', '2015']);
    await addChild(page, 'Alfie', ['9', '11', '2019']);
    await fill(page, { hasChildren: 'yes' });
    await press(page, 'Save and continue');
    await fill(page, { hasHouseholdMembers: 'no' });
    await press(page, 'Save and continue');
    await fill(page, { assessmentTool: 'dash_ric' });
    await press(page, 'Save and continue');
    let remaining = 15;
    for (let n = 1; n <= 4; n++) {
      remaining -= Math.min(remaining, await answerChecklistPage(page, remaining));
      await press(page, 'Save and continue');
    }
    await fill(page, { recentIncidents: '1', professionalJudgement: 'no' });
    await press(page, 'Save and continue');
    await fill(page, { narrative: 'Choked at home last week.', reportedToPolice: 'yes', previousMarac: 'dont_know' });
    await press(page, 'Save and continue');
    assert.match(page.url(), /\/check$/);
    await press(page, 'Submit referral');
    reference = /[A-Z]+-\d{4}-\d{4}/.exec(String(await page.locator('.govuk-panel__body').textContent()))![0];
    const row = await db.selectFrom('referral').selectAll().where('id', '=', referralId).executeTakeFirstOrThrow();
    assert.equal(row.score, 15);
    assert.deepEqual(row.criteria_met, ['visible_high_risk']);
    await page.close();
  });

  test('the coordinator sees it on top of the queue as visible high risk, and asks for more information', async () => {
    const page = await signedIn(coordinator);
    assert.equal(await session.visit(page, `/areas/${areaId}/referrals`), 200);
    const firstNew = page.locator('#new tbody tr').first();
    assert.match(String(await firstNew.textContent()), new RegExp(`${reference}[\\s\\S]*Visible high risk`));
    assert.match(String(await firstNew.textContent()), /Jon Smyth/);
    await Promise.all([page.waitForNavigation(), firstNew.getByRole('link', { name: reference }).click()]);
    await session.check(page);
    await press(page, 'Ask the referrer for more information');
    await page.getByLabel('What do you need from the referrer?').fill('Which school does Poppy attend?');
    await press(page, 'Ask the referrer for more information');
    assert.ok(await page.getByText('Referral returned to the referrer').isVisible());
    await page.close();
  });

  test('the referrer sees the request, answers it and resubmits', async () => {
    const page = await signedIn(gp);
    assert.equal(await session.visit(page, `/referrals/${referralId}`), 200);
    assert.equal(await page.getByTestId('information-request').textContent(), 'Which school does Poppy attend?');
    await session.visit(page, `/referrals/${referralId}/children`);
    await follow(session, page, 'Change Poppy Smyth');
    await fill(page, { school: 'Example Primary School' });
    await press(page, 'Save and continue');
    await session.visit(page, `/referrals/${referralId}/check`);
    await press(page, 'Resubmit referral');
    const row = await db.selectFrom('referral').selectAll().where('id', '=', referralId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'submitted');
    assert.equal(row.reference, reference);
    await page.close();
  });

  test('the coordinator accepts it, and confirms the victim is the Jonathan Smith already known: a repeat', async () => {
    const page = await signedIn(coordinator);
    const view = `/areas/${areaId}/referrals/${referralId}`;
    await session.visit(page, view);
    await press(page, 'Accept for a MARAC meeting');
    await press(page, 'Accept for a MARAC meeting');
    assert.equal(
      (await db.selectFrom('referral').select('status').where('id', '=', referralId).executeTakeFirstOrThrow()).status,
      'accepted',
    );

    await follow(session, page, 'Check who the people on this referral are');
    const victimCard = page.getByTestId('person-review').filter({ hasText: 'Victim: Jon Smyth' });
    const candidate = victimCard.getByTestId('candidate').filter({ hasText: 'Jonathan Smith' });
    assert.match(String(await candidate.textContent()), /born 4 March 1985[\s\S]*Possible match/);
    assert.match(String(await candidate.textContent()), /Date of birth/);
    await Promise.all([page.waitForNavigation(), candidate.locator('button', { hasText: 'Same person' }).click()]);
    await session.check(page);
    assert.ok(await page.getByText('Linked as the same person as Jonathan Smith').isVisible());
    await session.check(page);
    const row = await db.selectFrom('referral').selectAll().where('id', '=', referralId).executeTakeFirstOrThrow();
    assert.ok(row.repeat_of_referral_id, 'now a repeat');
    assert.ok(row.criteria_met.includes('repeat'));
    await session.visit(page, view);
    assert.match(String(await page.locator('.govuk-summary-list').first().textContent()), /Repeat\s*Yes, of/);
    await page.close();
  });

  test('a user of the other area reaches none of it by any URL', async () => {
    const caseId = (
      await db.selectFrom('referral').select('case_id').where('id', '=', referralId).executeTakeFirstOrThrow()
    ).case_id;
    const urls = [
      `/areas/${areaId}/referrals/${referralId}`,
      `/areas/${areaId}/referrals/${referralId}/people`,
      `/areas/${areaId}/referrals/${referralId}/accept`,
      `/areas/${areaId}/cases/${caseId}/exclusions`,
      `/cases/${caseId}`,
      `/referrals/${referralId}`,
      `/referrals/${referralId}/check`,
    ];
    for (const who of [otherCoordinator, otherReferrer]) {
      const page = await signedIn(who);
      const otherAreaId = (
        await db
          .selectFrom('membership')
          .innerJoin('app_user', 'app_user.id', 'membership.user_id')
          .select('membership.area_id')
          .where('app_user.email', '=', who.email)
          .executeTakeFirstOrThrow()
      ).area_id;
      for (const url of [...urls, `/areas/${otherAreaId}/referrals/${referralId}`]) {
        assert.equal(await session.visit(page, url), 404, `${who.email} ${url}`);
        assert.equal(await page.getByText('Jon Smyth').count(), 0);
      }
      await page.close();
    }
  });

  test("the case's who-has-viewed shows exactly the referrer and the coordinator", async () => {
    const page = await signedIn(coordinator);
    const caseId = (
      await db.selectFrom('referral').select('case_id').where('id', '=', referralId).executeTakeFirstOrThrow()
    ).case_id;
    assert.equal(await session.visit(page, `/cases/${caseId}`), 200);
    const names = await page
      .getByTestId('viewed-by')
      .locator('tbody th')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
    assert.deepEqual([...names].sort(), [coordinator.name, gp.name].sort());
    await page.close();
  });
});
