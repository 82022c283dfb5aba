/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { totpCode } from '../src/platform/identity/totp.ts';
import { startBrowserSession } from './harness.ts';

const session = await startBrowserSession();
const admin = session.credentials.find((c) => c.role === 'System administrator')!;
const areas = await session.database.db.selectFrom('marac_area').select(['id', 'name']).orderBy('name').execute();
const area = areas[0]!;

describe('administration, in Chromium', () => {
  test('the administrator invites an agency representative, who sets up their account and sees only their role', async () => {
    const page = await session.newPage();
    await session.signIn(page, admin);
    await session.check(page);
    for (const path of [
      '/admin',
      '/admin/areas',
      `/admin/areas/${area.id}`,
      '/admin/agencies',
      '/admin/users',
      '/audit',
    ]) {
      assert.equal(await session.visit(page, path), 200, path);
    }

    await session.visit(page, '/admin/users/new');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await session.check(page);
    await page.getByLabel('Full name').fill('Jo Testwell');
    await page.getByLabel('Work email address').fill('jo.testwell@police.example');
    const police = await page.locator('#agencyId option', { hasText: 'Police' }).first().getAttribute('value');
    await page.getByLabel('Agency').selectOption(police);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Send invitation' }).waitFor();
    await session.check(page);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('button', { name: 'Add a role' }).waitFor();
    await session.check(page);

    await page.getByRole('button', { name: 'Add a role' }).click();
    await page.getByLabel('MARAC area').waitFor();
    await session.check(page);
    await page.getByLabel('MARAC area').selectOption(area.id);
    await page.getByLabel('Agency representative').check();
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByText('Agency representative').first().waitFor();
    await session.check(page);

    const email = session.mailer.messages.find((m) => m.to === 'jo.testwell@police.example');
    assert.ok(email, 'the invitation was emailed');
    const link = /(\/invitation\?token=[A-Za-z0-9_-]+)/.exec(email.text)![1]!;

    await page.context().clearCookies();
    await session.visit(page, link);
    await page.getByLabel('Password', { exact: true }).fill('harbour kettle umbrella');
    await page.getByLabel('Enter the password again').fill('harbour kettle umbrella');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/mfa/set-up');
    const key = (await page.getByTestId('totp-key').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('Security code from your app').fill(totpCode(key, Date.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /I have saved my codes/ }).click();
    await page.waitForURL('**/home');
    await session.check(page);
    assert.ok(await page.getByText('Your roles: Agency representative').isVisible());
    assert.equal(await page.getByRole('link', { name: /Manage areas, agencies and users/ }).count(), 0);
    assert.equal(await session.visit(page, '/admin'), 404, 'the administration pages do not exist for them');
    assert.equal(await session.visit(page, '/audit'), 404);
    await page.close();
  });

  test('a coordinator manages the roles in their own area', async () => {
    const coordinator = session.credentials.find(
      (c) =>
        c.role === 'Coordinator' &&
        c.email.includes(
          area.name
            .toLowerCase()
            .replace(/ marac$/, '')
            .replace(/[^a-z]+/g, '-'),
        ),
    )!;
    const page = await session.newPage();
    await session.signIn(page, coordinator);
    await page.getByRole('link', { name: /Manage who has which role/ }).click();
    await page.waitForURL(`**/areas/${area.id}/members`);
    await session.check(page);
    assert.ok(await page.getByText(coordinator.name).first().isVisible());
    assert.equal(await session.visit(page, `/areas/${areas[1]!.id}/members`), 404, 'not another area');
    await page.close();
  });
});
