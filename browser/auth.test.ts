/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLink } from '../src/features/auth/links.ts';
import { withTransaction } from '../src/platform/db/transaction.ts';
import { totpCode } from '../src/platform/identity/totp.ts';
import { makeUser } from '../test/factories.ts';
import { startBrowserSession } from './harness.ts';

const session = await startBrowserSession();
const { db } = session.database;

describe('signing in, in Chromium', () => {
  test('invitation → password → authenticator → recovery codes → sign out → sign in with a recovery code', async () => {
    const user = await makeUser(db, { status: 'invited' });
    const token = await withTransaction(db, { requestId: 'browser-test' }, (trx) =>
      createLink(trx, user.userId, 'invitation', null, new Date()),
    );
    const page = await session.newPage();
    assert.equal(await session.visit(page, `/invitation?token=${token}`), 200);
    assert.equal(await page.locator('h1').textContent(), 'Create your password');

    // A validation error first, then its fix.
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByLabel('Enter the password again').fill('password1234');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await session.check(page);
    assert.match(await page.title(), /^Error: /);
    await page.getByLabel('Password', { exact: true }).fill('meadow lantern quietly');
    await page.getByLabel('Enter the password again').fill('meadow lantern quietly');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL('**/mfa/set-up');
    await session.check(page);
    const qrLoaded = await page
      .locator('img[alt="QR code for your authenticator app"]')
      .evaluate((img) => (img as HTMLImageElement).naturalWidth > 0);
    assert.ok(qrLoaded, 'the QR code image loads');
    const key = (await page.getByTestId('totp-key').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('Security code from your app').fill(totpCode(key, Date.now()));
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForSelector('[data-testid="recovery-codes"]');
    await session.check(page);
    const codes = await page.locator('[data-testid="recovery-codes"] code').allTextContents();
    assert.equal(codes.length, 10);
    await page.getByRole('button', { name: /I have saved my codes/ }).click();
    await page.waitForURL('**/home');
    await session.check(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signed-out');
    await session.check(page);

    await session.visit(page, '/sign-in');
    await page.getByLabel('Work email address').fill(user.email);
    await page.getByLabel('Password').fill('meadow lantern quietly');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/sign-in/code');
    await session.check(page);
    await page.getByRole('link', { name: 'I cannot use my authenticator app' }).click();
    await page.waitForURL('**/sign-in/recovery-code');
    await session.check(page);
    await page.getByLabel('Enter a recovery code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/home');
    await page.close();
  });

  test('a demo user signs in; the inactivity warning appears, is accessible, and "Stay signed in" keeps the session', async () => {
    const coordinator = session.credentials.find((c) => c.role === 'Coordinator')!;
    const page = await session.newPage();
    await page.context().clearCookies();
    await page.clock.install();
    await session.visit(page, '/sign-in');
    await page.getByLabel('Work email address').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/sign-in/code');
    await page.getByLabel('Enter your security code').fill(totpCode(coordinator.totpKey, Date.now()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/home');
    await session.check(page);
    assert.ok(await page.getByText('MARAC').first().isVisible());

    const dialog = page.getByRole('dialog', { name: 'You will be signed out soon' });
    assert.equal(await dialog.isVisible(), false);
    await page.clock.fastForward('13:01');
    await dialog.waitFor({ state: 'visible' });
    await session.check(page);
    const keepAlive = page.waitForResponse((r) => r.url().endsWith('/session/keep-alive'));
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    assert.equal((await keepAlive).status(), 204);
    await dialog.waitFor({ state: 'hidden' });
    await page.close();
  });
});
