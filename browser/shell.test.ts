/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAccessibility, startBrowserSession } from './harness.ts';

const session = await startBrowserSession({
  setup(app) {
    app.get('/test-only/fails', { config: { permission: 'public', audit: null } }, async () => {
      throw new Error('boom');
    });
  },
});

describe('the GOV.UK shell in Chromium', () => {
  test('the start page renders with GOV.UK styles, its script runs under the CSP, and the demo banner shows', async () => {
    const page = await session.newPage();
    assert.equal(await session.visit(page, '/'), 200);
    assert.equal(await page.title(), 'Open MARAC – OFFICIAL-SENSITIVE');
    assert.equal(await page.locator('h1').textContent(), 'Open MARAC');
    assert.ok(await page.getByTestId('demo-banner').isVisible());
    assert.ok(await page.getByText('Demo — do not enter real data.').isVisible());
    // The nonce'd inline snippet and the module script both ran.
    const bodyClass = await page.locator('body').getAttribute('class');
    assert.match(String(bodyClass), /\bjs-enabled\b/);
    assert.match(String(bodyClass), /\bgovuk-frontend-supported\b/);
    // The stylesheet and its fonts came from the versioned asset path.
    const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    assert.match(font, /GDS Transport/);
    await page.evaluate(() => document.fonts.ready);
    assert.ok(await page.evaluate(() => document.fonts.check('bold 48px "GDS Transport"')));
    await page.close();
  });

  test('the skip link is the first thing a keyboard reaches and moves focus to the content', async () => {
    const page = await session.newPage();
    await session.visit(page, '/');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.textContent(), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content');
    await page.close();
  });

  test('the protective marking shows at the top and bottom of every page', async () => {
    const page = await session.newPage();
    await session.visit(page, '/');
    const markings = page.getByTestId('protective-marking');
    const texts = await markings.allInnerTexts();
    assert.equal(texts.length, 2);
    for (const text of texts) assert.match(text, /^Protective marking: \s*OFFICIAL-SENSITIVE$/);
    await page.close();
  });

  test('the not-found page', async () => {
    const page = await session.newPage();
    assert.equal(await session.visit(page, '/no-such-page/does-not-exist'), 404);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    await page.close();
  });

  test('the problem page shows a reference and no detail', async () => {
    const page = await session.newPage();
    assert.equal(await session.visit(page, '/test-only/fails'), 500);
    assert.equal(await page.locator('h1').textContent(), 'Sorry, there is a problem with the service');
    assert.match(String(await page.getByTestId('error-reference').textContent()), /^[0-9a-f-]{36}$/);
    assert.equal(await page.getByText('boom').count(), 0);
    await page.close();
  });

  test('the accessibility check fails on a violation (the harness can fail)', async () => {
    const page = await session.newPage();
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main></html>');
    await assert.rejects(checkAccessibility(page), /image-alt/);
    await page.close();
  });
});
