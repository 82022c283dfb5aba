import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp, engine } from '../../../test/harness.ts';
import { seedDemo } from '../demo/seed.ts';

const { app, database } = await createTestApp({
  env: { MARAC_PROTECTIVE_MARKING: 'OFFICIAL-SENSITIVE [TEST]' },
  setup: async (_app, database) => {
    await seedDemo(database.db, 1985);
  },
});

describe('start page', () => {
  test('explains the service inside the GOV.UK layout', async () => {
    const res = await app.inject('/');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<html lang="en" class="govuk-template/);
    assert.match(html, /<a href="#main-content" class="govuk-skip-link"/);
    assert.match(html, /<main class="govuk-main-wrapper" id="main-content"/);
    assert.match(html, /govuk-service-navigation__service-name/);
    assert.match(html, /Open MARAC/);
    assert.match(html, /govuk-phase-banner/);
    assert.match(html, /<footer class="govuk-template__footer/);
    assert.match(html, /<h1 class="govuk-heading-xl">Open MARAC<\/h1>/);
  });

  test('shows the configured protective marking at the top and bottom of the page', async () => {
    const html = (await app.inject('/')).body;
    assert.equal(html.split('OFFICIAL-SENSITIVE [TEST]').length - 1, 3, 'title, top and bottom');
  });

  test(`the demo banner shows exactly when the embedded database is in use (${engine})`, async () => {
    const html = (await app.inject('/')).body;
    assert.equal(html.includes('Demo — do not enter real data.'), database.engine === 'pglite');
  });

  test('lists the demo areas and their agencies', async () => {
    const html = (await app.inject('/')).body;
    const areas = await database.db.selectFrom('marac_area').select('name').execute();
    assert.equal(areas.length, 2);
    for (const area of areas) assert.ok(html.includes(area.name), area.name);
    assert.match(html, /Police<\/td>/);
  });

  test('names are escaped, never rendered as HTML', async () => {
    await database.db.insertInto('marac_area').values({ name: '<script>alert(1)</script> MARAC' }).execute();
    const html = (await app.inject('/')).body;
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; MARAC'));
  });
});
