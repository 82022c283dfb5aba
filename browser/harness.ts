/**
 * Browser harness: Open MARAC on a real port, driven by playwright-core in
 * Debian's Chromium. Every page visited through visit() is checked with axe
 * against WCAG 2.2 A and AA and fails the test on any violation, and on any
 * console error (which includes Content-Security-Policy violations).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/features/demo/seed.ts';
import type { DemoCredential } from '../src/features/demo/users.ts';
import { totpCode } from '../src/platform/identity/totp.ts';
import { memoryMailer } from '../src/platform/mail/mailer.ts';
import type { Database } from '../src/platform/db/database.ts';
import { readMigrationFiles } from '../src/platform/db/migrator.ts';
import { createLogger } from '../src/platform/http/logging.ts';
import { listen, openMigratedDatabase } from '../src/server.ts';
import { createTestTarget, onCleanup, testConfig, testKeyring } from '../test/harness.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export type BrowserSession = {
  baseUrl: string;
  database: Database;
  /** A new tab whose console errors fail the test. */
  newPage(): Promise<Page>;
  /** Opens a path, checks it with axe, and returns the response status. */
  visit(page: Page, path: string): Promise<number>;
  /** Checks the page the browser is on now (after a form was sent, say) with axe and for console errors. */
  check(page: Page): Promise<void>;
  /** The demo users' one-time sign-in details. */
  credentials: DemoCredential[];
  /** Emails the service sent (invitations, resets). */
  mailer: ReturnType<typeof memoryMailer>;
  /** Signs a demo user in through the real pages (password, then authenticator code). */
  signIn(page: Page, who: DemoCredential): Promise<void>;
};

/** Starts the app with the demo data and a fresh Chromium; both stop after the test file. */
export async function startBrowserSession(
  options: { setup?: (app: FastifyInstance) => void } = {},
): Promise<BrowserSession> {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is not at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`,
  );
  const target = await createTestTarget({ memory: true });
  const config = testConfig({ PORT: '0' });
  const migrations = readMigrationFiles();
  const database = await openMigratedDatabase(target, migrations, createLogger(config));
  onCleanup(() => database.close());
  // The test process's keyring, so tests can seal case data the app then opens.
  const keyring = testKeyring;
  const { credentials } = await seedDemo(database.db, 1985, keyring);
  const mailer = memoryMailer();
  const app = await buildApp({ config, database, migrations, mailer, keyring });
  options.setup?.(app);
  const server = await listen(app, database, config);
  onCleanup(() => app.close());

  const profile = mkdtempSync(join(tmpdir(), 'marac-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const errors = new WeakMap<Page, string[]>();
  const check = async (page: Page) => {
    await checkAccessibility(page);
    const found = errors.get(page) ?? [];
    // A 4xx or 500 page logs its own status as a console error (409: a decision no longer open); anything else is a fault.
    const unexpected = found.filter(
      (text) => !/Failed to load resource: the server responded with a status of (400|403|404|409|500)/.test(text),
    );
    assert.deepEqual(unexpected, [], `console errors on ${page.url()}`);
    found.length = 0;
  };
  // Each authenticator code works once: wait for a fresh one when this user's last was just used.
  const lastStep = new Map<string, number>();
  const signIn = async (page: Page, who: DemoCredential) => {
    while (Math.floor(Date.now() / 30_000) === lastStep.get(who.email)) await new Promise((r) => setTimeout(r, 500));
    await page.context().clearCookies();
    await page.goto(new URL('/sign-in', server.url).toString());
    await page.getByLabel('Work email address').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/sign-in/code');
    lastStep.set(who.email, Math.floor(Date.now() / 30_000));
    await page.getByLabel('Enter your security code').fill(totpCode(who.totpKey, Date.now()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/home');
  };
  return {
    baseUrl: server.url,
    database,
    credentials,
    mailer,
    signIn,
    check,
    async newPage() {
      const page = await context.newPage();
      const list: string[] = [];
      errors.set(page, list);
      page.on('console', (message) => {
        if (message.type() === 'error') list.push(message.text());
      });
      page.on('pageerror', (error) => list.push(error.message));
      return page;
    },
    async visit(page, path) {
      const response = await page.goto(new URL(path, server.url).toString(), { waitUntil: 'load' });
      await check(page);
      return response?.status() ?? 0;
    },
  };
}

/** Fails with a readable list when axe finds any WCAG 2.2 A or AA violation. */
export async function checkAccessibility(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.deepEqual(summary, [], `axe found accessibility violations on ${page.url()}`);
}
