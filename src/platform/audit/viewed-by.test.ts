import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { recordAudit, type AuditEventInput, type AuditRecord } from './audit.ts';
import { londonTime, roleLabel, viewedBy } from './viewed-by.ts';

// A page that shows the panel, as a case page will: added here, for this test only.
const { app, database } = await createTestApp({
  setup: (app, { db }) => {
    app.get(
      '/test/cases/:caseId/viewed-by',
      { config: { permission: 'public', audit: null } },
      async (request, reply) => {
        const { caseId } = request.params as { caseId: string };
        return reply.view('platform/views/viewed-by.njk', { viewedBy: await viewedBy(db, { caseId }) });
      },
    );
    app.get(
      '/test/subjects/:type/:id/viewed-by',
      { config: { permission: 'public', audit: null } },
      async (request, reply) => {
        const { type, id } = request.params as { type: string; id: string };
        const { level } = request.query as { level?: string };
        return reply.view('platform/views/viewed-by.njk', {
          viewedBy: await viewedBy(db, { subjectType: type, subjectId: id }),
          viewedByHeadingLevel: level === undefined ? undefined : Number(level) || level,
        });
      },
    );
  },
});
const db = database.db;

const area = await makeArea(db);
const police = await makeAgency(db, area.id, 'police');
const idva = await makeAgency(db, area.id, 'idva');
const alice = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'agency_representative' }] });
const bob = await makeUser(db, { agencyId: idva.id, roles: [{ areaId: area.id, role: 'idva' }] });
const HOSTILE = '<script>alert("x")</script> Alice & Co';
await db.updateTable('app_user').set({ display_name: HOSTILE }).where('id', '=', alice.userId).execute();
const bobName = (
  await db.selectFrom('app_user').select('display_name').where('id', '=', bob.userId).executeTakeFirstOrThrow()
).display_name;
const [case1, case2, emptyCase] = [randomUUID(), randomUUID(), randomUUID()];
const gone = randomUUID(); // a user id no longer in app_user

async function read(overrides: Partial<AuditEventInput>): Promise<AuditRecord> {
  await sleep(2); // each read its own millisecond, so "most recent first" is certain
  return db.transaction().execute((trx) =>
    recordAudit(trx, {
      actorUserId: alice.userId,
      actorAgencyId: police.id,
      actorRole: 'agency_representative',
      action: 'page.viewed',
      subjectType: 'case',
      subjectId: case1,
      caseId: case1,
      purpose: 'meeting_preparation',
      outcome: 'success',
      requestId: randomUUID(),
      ...overrides,
    }),
  );
}

const a1 = await read({});
const b1 = await read({ actorUserId: bob.userId, actorAgencyId: idva.id, actorRole: 'idva' });
const a2 = await read({});
await read({ outcome: 'denied', action: 'access.denied', actorUserId: bob.userId }); // not a view
const g1 = await read({
  actorUserId: gone,
  actorAgencyId: randomUUID(),
  actorRole: null,
  caseId: case2,
  subjectId: case2,
});

describe('viewedBy', () => {
  test('lists each reader with name, agency, role, first and last view and count, most recent first', async () => {
    assert.deepEqual(await viewedBy(db, { caseId: case1 }), [
      {
        userId: alice.userId,
        name: HOSTILE,
        agencyName: police.name,
        role: 'Agency representative',
        firstViewed: londonTime(a1.occurredAt),
        lastViewed: londonTime(a2.occurredAt),
        views: 2,
      },
      {
        userId: bob.userId,
        name: bobName,
        agencyName: idva.name,
        role: 'IDVA',
        firstViewed: londonTime(b1.occurredAt),
        lastViewed: londonTime(b1.occurredAt),
        views: 1,
      },
    ]);
  });

  test('says when a reader or their agency is no longer known, and an empty list for an unread record', async () => {
    assert.deepEqual(await viewedBy(db, { caseId: case2 }), [
      {
        userId: gone,
        name: 'Unknown user',
        agencyName: 'Unknown agency',
        role: null,
        firstViewed: londonTime(g1.occurredAt),
        lastViewed: londonTime(g1.occurredAt),
        views: 1,
      },
    ]);
    assert.deepEqual(await viewedBy(db, { caseId: emptyCase }), []);
  });

  test('role codes read as words; unknown codes, even ones that name object properties, stay as they are', () => {
    assert.equal(roleLabel('system_admin'), 'System administrator');
    assert.equal(roleLabel('coordinator'), 'Coordinator');
    assert.equal(roleLabel('constructor'), 'constructor');
    assert.equal(roleLabel('representative'), 'representative');
    assert.equal(roleLabel(null), null);
  });

  test('UK time, with the zone, either side of the clocks changing', () => {
    assert.deepEqual(londonTime(new Date('2025-01-15T09:05:00Z')), {
      iso: '2025-01-15T09:05:00.000Z',
      text: '15 Jan 2025, 09:05:00 GMT',
    });
    assert.equal(londonTime(new Date('2025-07-15T09:05:00Z')).text, '15 Jul 2025, 10:05:00 BST');
  });
});

describe('the "who has viewed this record" panel', () => {
  test('shows the readers in a summary card table', async () => {
    const res = await app.inject(`/test/cases/${case1}/viewed-by`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<div class="govuk-summary-card" data-testid="viewed-by">/);
    assert.match(html, /<h2 class="govuk-summary-card__title" id="viewed-by-title">Who has viewed this record<\/h2>/);
    const rows = [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((m) =>
        [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()),
      );
    assert.deepEqual(rows, [
      [
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Alice &amp; Co',
        police.name,
        'Agency representative',
        londonTime(a1.occurredAt).text,
        londonTime(a2.occurredAt).text,
        '2',
      ],
      [bobName, idva.name, 'IDVA', londonTime(b1.occurredAt).text, londonTime(b1.occurredAt).text, '1'],
    ]);
    assert.ok(html.includes(`<time datetime="${a2.occurredAt.toISOString()}">`));
  });

  test('escapes a name that holds HTML: it is shown as text, never run', async () => {
    const html = (await app.inject(`/test/cases/${case1}/viewed-by`)).body;
    assert.ok(!html.includes('<script>'), 'no script element');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Alice &amp; Co'));
  });

  test('says so when nobody has viewed the record', async () => {
    const html = (await app.inject(`/test/cases/${emptyCase}/viewed-by`)).body;
    assert.match(html, /Nobody has viewed this record yet\./);
    assert.ok(!html.includes('<table'));
  });

  test('works for one record as well as a case, at the heading level the page needs', async () => {
    const html = (await app.inject(`/test/subjects/case/${case2}/viewed-by?level=3`)).body;
    assert.match(html, /<h3 class="govuk-summary-card__title" id="viewed-by-title">/);
    assert.match(html, /Unknown user/);
    const odd = (await app.inject(`/test/subjects/case/${case2}/viewed-by?level=script`)).body;
    assert.match(odd, /<h2 class="govuk-summary-card__title"/, 'anything but 2 to 6 gives an h2');
    const none = (await app.inject(`/test/subjects/case/${randomUUID()}/viewed-by`)).body;
    assert.match(none, /Nobody has viewed this record yet\./);
  });
});
