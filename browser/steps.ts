// Steps the browser tests share: filling a form by field name, and moving from page to page with every page checked.
import type { Page } from 'playwright-core';
import type { BrowserSession } from './harness.ts';

/** Fills fields by name: radios and checkboxes by value, everything else typed. */
export async function fill(page: Page, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`[name="${name}"]`).first();
    const type = await input.getAttribute('type');
    if (type === 'radio' || type === 'checkbox') await page.locator(`[name="${name}"][value="${value}"]`).check();
    else await input.fill(value);
  }
}

/** Clicks a button and waits for the next page, then checks it (axe, console errors). */
export async function press(session: BrowserSession, page: Page, name: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
  await session.check(page);
}

/** Follows a link and checks the page it leads to. */
export async function follow(session: BrowserSession, page: Page, name: string) {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).click()]);
  await session.check(page);
}
