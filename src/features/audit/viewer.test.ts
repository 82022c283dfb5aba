import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { auditHash, recordAudit, type AuditEventInput } from '../../platform/audit/audit.ts';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import type { Schema } from '../../platform/db/schema.ts';

/**
 * Appends an event at a chosen time, so the date filters can be tried on UK
 * day boundaries. It writes what recordAudit would — next seq, the previous
 * row's hash, the row's own hash — only with the time given, so the chain
 * still verifies.
 */
async function appendAt(db: Kysely<Schema>, occurredAt: Date, event: Partial<AuditEventInput>) {
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('audit_event')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row = {
      actorUserId: null,
      actorAgencyId: null,
      actorRole: null,
      action: 'page.viewed' as const,
      subjectType: 'case',
      subjectId: null,
      caseId: null,
      purpose: null,
      outcome: 'success' as const,
      requestId: randomUUID(),
      ...event,
      seq: Number(last?.seq ?? 0) + 1,
      occurredAt,
      prevHash: last?.hash ?? null,
    };
    await trx
      .insertInto('audit_event')
      .values({
        seq: row.seq,
        occurred_at: row.occurredAt.toISOString(),
        actor_user_id: row.actorUserId,
        actor_agency_id: row.actorAgencyId,
        actor_role: row.actorRole,
        action: row.action,
        subject_type: row.subjectType,
        subject_id: row.subjectId,
        case_id: row.caseId,
        purpose: row.purpose,
        outcome: row.outcome,
        request_id: row.requestId,
        prev_hash: row.prevHash,
        hash: auditHash(row),
      })
      .execute();
    return row.seq;
  });
}

const fixture = {} as {
  admin: Awaited<ReturnType<typeof makeUser>>;
  ig: Awaited<ReturnType<typeof makeUser>>;
  alice: Awaited<ReturnType<typeof makeUser>>;
  bob: Awaited<ReturnType<typeof makeUser>>;
  pager: Awaited<ReturnType<typeof makeUser>>;
  police: { id: string; name: string };
  idva: { id: string; name: string };
  names: Map<string, string>;
  case1: string;
  case2: string;
};

const { app, database, logs } = await createTestApp({
  setup: async (_app, { db }) => {
    const area = await makeArea(db);
    fixture.police = await makeAgency(db, area.id, 'police');
    fixture.idva = await makeAgency(db, area.id, 'idva');
    fixture.admin = await makeUser(db, { globalRole: 'system_admin' });
    fixture.ig = await makeUser(db, { globalRole: 'information_governance' });
    fixture.alice = await makeUser(db, {
      agencyId: fixture.police.id,
      roles: [{ areaId: area.id, role: 'coordinator' }],
    });
    fixture.bob = await makeUser(db, { agencyId: fixture.idva.id, roles: [{ areaId: area.id, role: 'idva' }] });
    fixture.pager = await makeUser(db, { agencyId: fixture.idva.id });
    const users = await db.selectFrom('app_user').select(['id', 'display_name']).execute();
    fixture.names = new Map(users.map((u) => [u.id, u.display_name]));
    [fixture.case1, fixture.case2] = [randomUUID(), randomUUID()];
    const { alice, bob, case1, case2, police, idva } = fixture;
    const byAlice = { actorUserId: alice.userId, actorAgencyId: police.id, actorRole: 'coordinator' };
    const byBob = { actorUserId: bob.userId, actorAgencyId: idva.id, actorRole: 'idva' };
    // British Summer Time 2025 ran from 01:00 UTC on 30 March to 01:00 UTC on 26 October.
    await appendAt(db, new Date('2025-03-29T23:30:00Z'), { ...byAlice, caseId: case1, subjectId: case1 });
    await appendAt(db, new Date('2025-03-30T00:30:00Z'), { ...byBob, caseId: case1, subjectId: case1 });
    await appendAt(db, new Date('2025-06-30T22:59:59.999Z'), {
      ...byAlice,
      action: 'admin.user_invited',
      subjectType: 'user',
      subjectId: bob.userId,
    });
    await appendAt(db, new Date('2025-06-30T23:00:00Z'), {
      ...byBob,
      action: 'access.denied',
      subjectType: 'route',
      subjectId: '/cases/:caseId',
      caseId: case2,
      outcome: 'denied',
    });
    await appendAt(db, new Date('2025-10-26T00:30:00Z'), {
      ...byAlice,
      caseId: case2,
      subjectId: case2,
      purpose: 'meeting_preparation',
    });
    await appendAt(db, new Date('2025-10-26T01:30:00Z'), {
      ...byAlice,
      action: 'auth.sign_in',
      subjectType: 'session',
      subjectId: randomUUID(),
    });
    // Enough events by one person for three pages.
    for (let i = 0; i < 120; i++) {
      await db.transaction().execute((trx) =>
        recordAudit(trx, {
          actorUserId: fixture.pager.userId,
          actorAgencyId: idva.id,
          actorRole: null,
          action: 'page.viewed',
          subjectType: 'page',
          subjectId: `page-${i}`,
          caseId: null,
          purpose: null,
          outcome: 'success',
          requestId: randomUUID(),
        }),
      );
    }
  },
});
const db = database.db;

const admin = await new TestClient(app).signInAs(db, fixture.admin.userId);
const ig = await new TestClient(app).signInAs(db, fixture.ig.userId);

/** The seq of each event row in the page's table, in order. */
function seqs(html: string): number[] {
  return [...html.matchAll(/<th scope="row" class="govuk-table__header">(\d+)<\/th>/g)].map((m) => Number(m[1]));
}

async function seqsWhere(where: (e: { actor_user_id: string | null; case_id: string | null }) => boolean) {
  const rows = await db
    .selectFrom('audit_event')
    .select(['seq', 'actor_user_id', 'case_id'])
    .orderBy('seq', 'desc')
    .execute();
  return rows.filter(where).map((r) => Number(r.seq));
}

async function lastEvent() {
  return db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}

async function eventCount() {
  const { n } = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

const q = (params: Record<string, string>) => `/audit?${new URLSearchParams(params).toString()}`;

describe('the audit viewer', () => {
  test('the system administrator sees the newest 50 events, names and agencies resolved, times in UK time', async () => {
    const total = await eventCount();
    const newest = (await seqsWhere(() => true)).slice(0, 50);
    const res = await admin.follow('/audit');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>Audit trail – Open MARAC/);
    assert.match(res.body, new RegExp(`Showing 1 to 50 of ${total} events\\.`));
    assert.deepEqual(seqs(res.body), newest);
    assert.match(res.body, /<th scope="col" class="govuk-table__header">Request<\/th>/);
  });

  test('each event shows who (name and agency), role, action, subject, case, purpose and outcome', async () => {
    const res = await admin.follow(q({ user: fixture.alice.email }));
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const alice = fixture.names.get(fixture.alice.userId)!;
    assert.ok(html.includes(alice), 'name');
    assert.ok(html.includes(fixture.police.name), 'agency');
    assert.ok(html.includes('Coordinator'), 'role in words');
    assert.ok(html.includes('User invited<br><code>admin.user_invited</code>'), 'action');
    assert.ok(html.includes(`user<br>${fixture.bob.userId}`), 'subject type and id');
    assert.ok(html.includes(`<td class="govuk-table__cell">${fixture.case2}</td>`), 'case');
    assert.ok(html.includes('Meeting preparation'), 'purpose');
    assert.match(html, /<strong class="govuk-tag govuk-tag--green">Success<\/strong>/);
    // The two 01:30s of 26 October 2025: first in summer time, then again in winter time.
    assert.ok(html.includes('<time datetime="2025-10-26T00:30:00.000Z">26 Oct 2025, 01:30:00 BST</time>'));
    assert.ok(html.includes('<time datetime="2025-10-26T01:30:00.000Z">26 Oct 2025, 01:30:00 GMT</time>'));
    assert.ok(html.includes('<time datetime="2025-03-29T23:30:00.000Z">29 Mar 2025, 23:30:00 GMT</time>'));
  });

  test('the information-governance officer sees it too', async () => {
    const res = await ig.follow('/audit');
    assert.equal(res.statusCode, 200);
    assert.equal(seqs(res.body).length, 50);
  });

  test('every view is recorded as audit.viewed, in the same transaction, with no personal data', async () => {
    const before = await eventCount();
    const res = await ig.follow(q({ case: fixture.case1.toUpperCase() }));
    assert.equal(res.statusCode, 200);
    assert.equal(await eventCount(), before + 1);
    const row = await lastEvent();
    assert.equal(row.action, 'audit.viewed');
    assert.equal(row.actor_user_id, fixture.ig.userId);
    assert.equal(row.actor_role, 'information_governance');
    assert.equal(row.subject_type, 'audit_event');
    assert.equal(row.subject_id, null);
    assert.equal(row.case_id, fixture.case1, 'a look at one case’s trail is recorded against that case');
    assert.equal(row.purpose, 'audit_review');
    assert.equal(row.outcome, 'success');
    assert.equal(row.request_id, res.headers['x-request-id']);
    // The page read before the row was written: it is not on the page it records.
    assert.ok(!seqs(res.body).includes(Number(row.seq)));
    await admin.follow(q({ user: fixture.alice.email }));
    const unfiltered = await lastEvent();
    assert.equal(unfiltered.actor_user_id, fixture.admin.userId);
    assert.equal(unfiltered.case_id, null);
    assert.ok(!JSON.stringify(unfiltered).includes('@'), 'the email address filter is not recorded');
    assert.deepEqual(await verifyAuditChain(db), { ok: true, rows: await eventCount() });
  });

  test('filters by who acted, by email address in any case and with spaces', async () => {
    const res = await admin.follow(q({ user: `  ${fixture.alice.email.toUpperCase()} ` }));
    assert.equal(res.statusCode, 200);
    const expected = await seqsWhere((e) => e.actor_user_id === fixture.alice.userId);
    assert.equal(expected.length, 4);
    assert.deepEqual(seqs(res.body), expected);
    assert.match(res.body, /Showing 1 to 4 of 4 events\./);
    assert.ok(res.body.includes(`value="${fixture.alice.email}"`), 'the form shows whose events these are');
    // The address typed is exchanged for the user's id at once: no email address stays in a link or the address bar.
    const typed = await admin.get(q({ user: fixture.alice.email }));
    assert.equal(typed.statusCode, 303);
    assert.equal(typed.headers.location, `/audit?user-id=${fixture.alice.userId}`);
    assert.ok(!res.body.includes(`user=${encodeURIComponent(fixture.alice.email)}`));
  });

  test('filters by case', async () => {
    const expected = await seqsWhere((e) => e.case_id === fixture.case1);
    const res = await admin.follow(q({ case: fixture.case1 }));
    assert.ok(expected.length >= 2);
    assert.deepEqual(seqs(res.body), expected);
    const none = await admin.follow(q({ case: randomUUID() }));
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /No events match these filters\./);
    assert.deepEqual(seqs(none.body), []);
  });

  test('filters by action', async () => {
    const res = await admin.follow(q({ action: 'access.denied' }));
    assert.equal(res.statusCode, 200);
    assert.equal(seqs(res.body).length, 1);
    assert.ok(res.body.includes('Access refused<br><code>access.denied</code>'));
    assert.match(res.body, /<strong class="govuk-tag govuk-tag--red">Denied<\/strong>/);
    assert.match(res.body, /<option value="access.denied" selected>Access refused \(access.denied\)<\/option>/);
  });

  test('filters by UK days: from the start of "date from" to the end of "date to"', async () => {
    const days = async (params: Record<string, string>) => {
      const res = await admin.follow(q({ user: fixture.alice.email, ...params }));
      assert.equal(res.statusCode, 200, JSON.stringify(params));
      return res.body;
    };
    const alice = await seqsWhere((e) => e.actor_user_id === fixture.alice.userId);
    const [signIn, caseView, invited, first] = alice; // newest first
    // 29 March: 23:30 GMT is that day; 30 March starts at midnight GMT.
    const march29 = await days({ 'from-day': '29', 'from-month': '3', 'from-year': '2025' });
    assert.deepEqual(seqs(march29), alice);
    const onlyMarch29 = await days({
      'from-day': '29',
      'from-month': '3',
      'from-year': '2025',
      'to-day': '29',
      'to-month': 'Mar',
      'to-year': '2025',
    });
    assert.deepEqual(seqs(onlyMarch29), [first]);
    // 30 June ends at 23:00 UTC in summer time: 22:59:59.999 is in, and the next event (1 July) is not.
    const toJune30 = await days({ 'to-day': '30', 'to-month': '06', 'to-year': '2025' });
    assert.deepEqual(seqs(toJune30), [invited, first]);
    const fromJuly1 = await days({ 'from-day': '1', 'from-month': '7', 'from-year': '2025' });
    assert.deepEqual(seqs(fromJuly1), [signIn, caseView]);
    const october26 = await days({
      'from-day': '26',
      'from-month': 'october',
      'from-year': '2025',
      'to-day': '26',
      'to-month': '10',
      'to-year': '2025',
    });
    assert.deepEqual(seqs(october26), [signIn, caseView]);
    const future = await days({ 'from-day': '1', 'from-month': '1', 'from-year': '2999' });
    assert.match(future, /No events match these filters\./);
  });

  test('combines filters', async () => {
    const res = await admin.follow(q({ user: fixture.bob.email, case: fixture.case2, action: 'access.denied' }));
    assert.equal(seqs(res.body).length, 1);
    const none = await admin.follow(q({ user: fixture.bob.email, case: fixture.case2, action: 'page.viewed' }));
    assert.deepEqual(seqs(none.body), []);
  });

  test('pages through the events, keeping the filters in the links', async () => {
    const expected = await seqsWhere((e) => e.actor_user_id === fixture.pager.userId);
    assert.equal(expected.length, 120);
    const email = `-id=${fixture.pager.userId}`;
    const first = await admin.follow(q({ user: fixture.pager.email }));
    assert.deepEqual(seqs(first.body), expected.slice(0, 50));
    assert.match(first.body, /Showing 1 to 50 of 120 events\./);
    assert.match(first.body, /<nav class="govuk-pagination" aria-label="Pages of audit events">/);
    assert.ok(first.body.includes(`href="/audit?user${email}&amp;page=2" rel="next"`), 'next keeps the filter');
    assert.ok(first.body.includes(`href="/audit?user${email}&amp;page=3" aria-label="Page 3"`));
    assert.ok(!first.body.includes('rel="prev"'));
    const second = await admin.follow(q({ user: fixture.pager.email, page: '2' }));
    assert.deepEqual(seqs(second.body), expected.slice(50, 100));
    assert.match(second.body, /Showing 51 to 100 of 120 events\./);
    assert.ok(second.body.includes(`href="/audit?user${email}" rel="prev"`));
    assert.match(second.body, /aria-label="Page 2" aria-current="page"/);
    const third = await admin.follow(q({ user: fixture.pager.email, page: '3' }));
    assert.deepEqual(seqs(third.body), expected.slice(100));
    assert.ok(!third.body.includes('rel="next"'));
    const beyond = await admin.follow(q({ user: fixture.pager.email, page: '9' }));
    assert.equal(beyond.statusCode, 200);
    assert.match(beyond.body, /There are no events on this page\. There are 120 events in all\./);
    for (const page of ['0', '-1', 'abc', '1.5', '1e3', '99999999']) {
      const odd = await admin.follow(q({ user: fixture.pager.email, page }));
      assert.equal(odd.statusCode, 200, page);
      assert.deepEqual(seqs(odd.body), expected.slice(0, 50), `page=${page} shows the first page`);
    }
  });

  test('links to the CSV export with the same filters', async () => {
    const res = await admin.follow(q({ user: fixture.alice.email, action: 'page.viewed' }));
    const email = `-id=${fixture.alice.userId}`;
    assert.ok(
      res.body.includes(`href="/audit/export.csv?user${email}&amp;action=page.viewed" download`),
      'export link with the filters',
    );
    assert.match(res.body, /Download these 2 events as a spreadsheet \(CSV\)/);
    const empty = await admin.follow(q({ case: randomUUID() }));
    assert.ok(!empty.body.includes('/audit/export.csv'), 'nothing to export');
  });
});

describe('the filter form', () => {
  test('reports every problem at once, in the order of the form, keeping every answer', async () => {
    const before = await eventCount();
    const res = await admin.follow(
      q({
        user: 'not an email',
        case: '12345',
        'from-day': '31',
        'from-month': '2',
        'from-year': '2025',
        'to-day': '3',
        'to-month': '',
        'to-year': '2025',
        action: 'case.deleted',
      }),
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Error: Audit trail/);
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? '';
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(links, [
      ['user', 'Enter an email address in the correct format, like name@example.com'],
      ['case', 'Enter a case ID in the correct format, like 0b8f5a3c-6d1e-4f2a-9c7b-3e5d1a2b4c6d'],
      ['from-day', 'Date from must be a real date'],
      ['to-month', 'Date to must include a month'],
      ['action', 'Select an action from the list'],
    ]);
    for (const kept of ['value="not an email"', 'value="12345"', 'name="from-day" type="text" value="31"']) {
      assert.ok(res.body.includes(kept), kept);
    }
    assert.match(res.body, /id="from-day" name="from-day" type="text" value="31"/);
    assert.match(
      res.body,
      /class="govuk-input govuk-date-input__input govuk-input--error govuk-input--width-2" id="to-month"/,
    );
    assert.match(res.body, /class="govuk-input govuk-date-input__input govuk-input--width-2" id="to-day"/);
    assert.ok(!res.body.includes('data-testid="events"'), 'no results with errors');
    assert.equal(await eventCount(), before, 'nothing was read, so nothing is recorded');
  });

  test('says when no user has the email address, and when the dates are the wrong way round', async () => {
    const res = await admin.follow(
      q({
        user: 'nobody@agency.example',
        'from-day': '2',
        'from-month': '5',
        'from-year': '2025',
        'to-day': '1',
        'to-month': '5',
        'to-year': '2025',
      }),
    );
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('<a href="#user">There is no user with this email address</a>'));
    assert.ok(res.body.includes('<a href="#to-day">Date to must be the same as or after date from</a>'));
    assert.ok(res.body.includes('value="nobody@agency.example"'));
  });

  test('explains dates that are incomplete or not real', async () => {
    const message = async (day: string, month: string, year: string) => {
      const res = await admin.follow(q({ 'from-day': day, 'from-month': month, 'from-year': year }));
      assert.equal(res.statusCode, 400, `${day}/${month}/${year}`);
      return /<a href="#([^"]+)">([^<]+)<\/a>/.exec(res.body)?.slice(1);
    };
    assert.deepEqual(await message('', '', '2025'), ['from-day', 'Date from must include a day and month']);
    assert.deepEqual(await message('1', '13', '2025'), ['from-month', 'Date from must be a real date']);
    assert.deepEqual(await message('29', '2', '2025'), ['from-day', 'Date from must be a real date']);
    assert.deepEqual(await message('1', '1', '25'), ['from-year', 'The year in date from must include 4 numbers']);
    assert.deepEqual(await message('x', 'y', 'z'), ['from-day', 'Date from must be a real date']);
    const leap = await admin.follow(q({ 'from-day': '29', 'from-month': 'Feb', 'from-year': '2024' }));
    assert.equal(leap.statusCode, 200);
  });

  test('nothing typed into the address bar causes an error page', async () => {
    const queries = [
      "case=' or 1=1 --",
      'case=%00',
      'user=%00%40example.org',
      'user=a%40b%00',
      `user=${'a'.repeat(5000)}%40example.org`,
      'user=a&user=b',
      'user[]=x',
      'action=constructor',
      'action=__proto__',
      'action=toString',
      'from-day=99999999999999999999&from-month=1&from-year=2025',
      'from-day=1&from-month=1&from-year=-001',
      'from-day=1&from-month=1&from-year=0000',
      'from-day=1&from-month=1&from-year=99999',
      'from-day=%F0%9F%98%80&from-month=1&from-year=2025',
      'case=%ED%A0%80',
      'to-day=1&to-month=1&to-year=9999',
      'from-day=1&from-month=__proto__&from-year=2025',
      'page=%00',
      '%=%',
    ];
    for (const query of queries) {
      const res = await admin.follow(`/audit?${query}`);
      assert.ok(res.statusCode === 200 || res.statusCode === 400, `${query}: ${res.statusCode}`);
      assert.match(res.body, /<h1 class="govuk-heading-l">Audit trail<\/h1>/, query);
    }
  });

  test('the email address typed into the filter never reaches the logs', async () => {
    await admin.follow(q({ user: fixture.bob.email }));
    await admin.follow(q({ user: 'someone.unknown@agency.example' }));
    const text = logs.text();
    assert.ok(text.includes('/audit'), 'the requests were logged');
    assert.ok(!text.includes(fixture.bob.email));
    assert.ok(!text.includes('someone.unknown'));
    assert.ok(!text.includes('%40'));
    const stored = await sql<{ n: number }>`select count(*)::int as n from audit_event
                                             where subject_id like '%@%' or request_id like '%@%'`.execute(db);
    assert.equal(stored.rows[0]?.n, 0);
  });
});
