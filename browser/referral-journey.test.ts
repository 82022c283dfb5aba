/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBrowserSession } from './harness.ts';
import { fill, follow, press as pressButton } from './steps.ts';

const session = await startBrowserSession();
const referrer = session.credentials.find((c) => c.role === 'Referrer')!;
const db = session.database.db;

const SCRIPT = '<script>alert("fears")</script>';
const IMG = '<img src=x onerror=alert("wants")>';

const press = (page: Page, name: string) => pressButton(session, page, name);
const openTask = (page: Page, title: string) => follow(session, page, title);

describe('a referral, in Chromium', () => {
  test('started, interrupted, resumed, corrected, submitted once; typed markup stays text', async () => {
    const page = await session.newPage();
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await session.signIn(page, referrer);
    await session.check(page);

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Start a referral' }).click()]);
    await session.check(page);
    await press(page, 'Start referral');
    assert.match(page.url(), /\/referrals\/[0-9a-f-]{36}$/);
    const taskList = page.url();
    const id = taskList.split('/').pop()!;

    await openTask(page, 'About you');
    await fill(page, { referrerJobTitle: 'Practice nurse', referrerPhone: '01632 960001', referrerWillAttend: 'yes' });
    await press(page, 'Save and continue');

    // The victim, with an impossible date of birth first.
    await fill(page, {
      givenNames: 'Dana',
      familyName: 'Whitby',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1991',
      gender: 'female',
      interpreterNeeded: 'no',
    });
    await press(page, 'Save and continue');
    assert.ok(await page.locator('.govuk-error-summary').isVisible());
    assert.ok(await page.getByRole('link', { name: 'Date of birth must be a real date' }).isVisible());
    assert.equal(await page.locator('[name="givenNames"]').inputValue(), 'Dana', 'answers are kept');
    await fill(page, { 'dateOfBirth-day': '28' });
    await press(page, 'Save and continue');
    assert.match(page.url(), /\/safe-contact$/);

    await fill(page, {
      inRefuge: 'no',
      victimAddress: '4 Example Row\nSampletown',
      phone: '07700 900456',
      safeToCall: 'yes',
      safeToLeaveMessage: 'no',
      safeMethods: 'text_message',
    });
    await press(page, 'Save and continue');
    await fill(page, {
      victimAware: 'yes',
      consentGiven: 'yes',
      fears: SCRIPT,
      wants: IMG,
      wantsToSpeakToPolice: 'not_asked',
    });
    // Leave, and come back from "Your referrals".
    await press(page, 'Save and come back later');
    assert.match(page.url(), /\/referrals$/);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Dana Whitby' }).click()]);
    await session.check(page);
    assert.equal(page.url(), taskList);
    assert.equal(await page.locator('.govuk-task-list__status', { hasText: 'Completed' }).count(), 4);

    await openTask(page, 'Perpetrators');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add a perpetrator' }).click()]);
    await session.check(page);
    await fill(page, {
      givenNames: 'Craig',
      familyName: 'Whitby',
      relationship: 'ex_partner',
      riskToProfessionals: 'no',
    });
    await press(page, 'Save and continue');
    assert.ok(await page.locator('dt', { hasText: 'Craig Whitby' }).isVisible());
    await press(page, 'Save and continue');
    await fill(page, { hasChildren: 'no' });
    await press(page, 'Save and continue');
    await fill(page, { hasHouseholdMembers: 'no' });
    await press(page, 'Save and continue');
    await fill(page, { assessmentTool: 'dash_ric' });
    await press(page, 'Save and continue');

    // The checklist: the score moves as answers are chosen, and the server agrees after each page.
    for (let n = 1; n <= 4; n++) {
      const questions = await page.locator('input[type="radio"][name$="-answer"][value="yes"]').count();
      for (let i = 0; i < questions; i++) {
        const yes = page.locator('input[type="radio"][name$="-answer"][value="yes"]').nth(i);
        const name = await yes.getAttribute('name');
        await page.locator(`[name="${name}"][value="${n <= 3 ? 'yes' : 'no'}"]`).check();
      }
      if (n === 1) {
        assert.equal(await page.locator('[data-live-score-value]').textContent(), '6', 'the score updates as you go');
      }
      await press(page, 'Save and continue');
    }
    assert.match(page.url(), /\/criteria$/);
    await fill(page, { recentIncidents: '2', professionalJudgement: 'no' });
    await press(page, 'Save and continue');
    await fill(page, { narrative: 'Pushed down the stairs on Friday.', reportedToPolice: 'yes', previousMarac: 'no' });
    await press(page, 'Save and continue');

    // Check your answers: the markup typed into free text is shown literally and runs nothing.
    assert.match(page.url(), /\/check$/);
    assert.ok(await page.getByText(SCRIPT, { exact: true }).isVisible());
    assert.ok(await page.getByText(IMG, { exact: true }).isVisible());
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(await page.getByText('You cannot submit this referral yet').count(), 0);

    // A double click on submit: one referral, one confirmation.
    const form = {
      _csrf: await page.locator('form[action$="/submit"] [name="_csrf"]').inputValue(),
      submissionKey: await page.locator('[name="submissionKey"]').inputValue(),
    };
    await Promise.all([
      page.waitForURL('**/confirmation'),
      page.getByRole('button', { name: 'Submit referral' }).dblclick(),
    ]);
    await session.check(page);
    const reference = await page.locator('.govuk-panel__body').textContent();
    assert.match(String(reference), /Your reference number is [A-Z]+-\d{4}-\d{4}/);
    // The same form sent again (the button's own guard aside): the same confirmation, still one referral.
    const resent = await page.request.post(`${session.baseUrl}/referrals/${id}/submit`, {
      form,
      maxRedirects: 0,
      headers: { origin: session.baseUrl, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(resent.status(), 303);
    assert.equal(resent.headers()['location'], `/referrals/${id}/confirmation`);
    const events = await db.selectFrom('referral_event').select('kind').where('referral_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['submitted'],
    );

    assert.equal(await session.visit(page, '/referrals'), 200);
    assert.ok(await page.getByText('Submitted', { exact: true }).first().isVisible());
    assert.equal(await session.visit(page, taskList), 200);
    assert.ok(await page.getByText(SCRIPT, { exact: true }).isVisible());
    assert.equal(dialogs, 0, 'no script ran');
    await page.close();
  });
});
