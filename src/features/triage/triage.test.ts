import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import type { Actor } from '../../platform/access/actor.ts';
import type { AuditAction } from '../../platform/audit/actions.ts';
import { submittedReferral, type Submitted } from './testing.ts';
import { TRANSITIONS } from './transitions.ts';

const { app, database, owner } = await createTestApp();
const db = database.db;
const raw = owner.db; // the owner's connection: what a copy of the database holds

const area = await makeArea(db);
const areaB = await makeArea(db);
const police = await makeAgency(db, area.id, 'police');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const idva = await makeUser(db, { roles: [{ areaId: area.id, role: 'idva' }] });
const policeRep = await makeUser(db, {
  agencyId: police.id,
  roles: [{ areaId: area.id, role: 'agency_representative' }],
});
const analyst = await makeUser(db, { roles: [{ areaId: area.id, role: 'analyst' }] });
const admin = await makeUser(db, { globalRole: 'system_admin' });
const coordinatorB = await makeUser(db, { roles: [{ areaId: areaB.id, role: 'coordinator' }] });
const referrerB = await makeUser(db, { roles: [{ areaId: areaB.id, role: 'referrer' }] });

const DAY = 86_400_000;
/** Sets when a referral was received, as the owner (the service never back-dates). */
const receivedDaysAgo = (id: string, days: number) =>
  raw
    .updateTable('referral')
    .set({ submitted_at: new Date(Date.now() - days * DAY - 60_000) })
    .where('id', '=', id)
    .execute();

// The queue's fixtures: waiting 2, 9 and 5 days; scores 14, 20, 17; the 5-day one with two children.
const young = await submittedReferral(db, referrer, area.id, { victim: ['Ayesha', 'Young'], score: 14 });
const old = await submittedReferral(db, referrer, area.id, { victim: ['Beth', 'Older'], score: 20 });
const middle = await submittedReferral(db, referrer, area.id, { victim: ['Cara', 'Middle'], score: 17, children: 2 });
await receivedDaysAgo(young.id, 2);
await receivedDaysAgo(old.id, 9);
await receivedDaysAgo(middle.id, 5);
const elsewhere = await submittedReferral(db, referrerB, areaB.id, { victim: ['Dana', 'Elsewhere'] });

const signedIn = new Map<string, TestClient>();
async function client(actor: Actor) {
  let c = signedIn.get(actor.userId);
  if (!c) {
    c = await new TestClient(app).signInAs(db, actor.userId);
    signedIn.set(actor.userId, c);
  }
  return c;
}

const queueUrl = `/areas/${area.id}/referrals`;
const viewUrl = (r: { id: string }, areaId = area.id) => `/areas/${areaId}/referrals/${r.id}`;
const rowOrder = (body: string, section: string) => {
  const table = new RegExp(`data-testid="queue-${section}">([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  return [...table.matchAll(/data-referral="([^"]+)"/g)].map((m) => m[1]);
};

const stored = (id: string) => raw.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const eventsOf = (id: string) =>
  raw.selectFrom('referral_event').selectAll().where('referral_id', '=', id).orderBy('at').orderBy('id').execute();
const auditsOf = (id: string, action: AuditAction) =>
  raw.selectFrom('audit_event').selectAll().where('subject_id', '=', id).where('action', '=', action).execute();
const notificationsOf = (referralId: string) =>
  raw.selectFrom('notification').selectAll().where('referral_id', '=', referralId).execute();

/** Opens the decision's page (for its CSRF token) and posts it. */
async function post(actor: Actor, r: { id: string }, decision: string, fields: Record<string, string> = {}) {
  const c = await client(actor);
  await c.get(queueUrl); // any page with a form carries the session's token
  return c.post(`${viewUrl(r)}/${decision}`, fields);
}

describe('triage queue', () => {
  test('the coordinator sees the area’s new referrals, emergencies first then longest waiting, with their details', async () => {
    const res = await (await client(coordinator)).get(queueUrl);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(rowOrder(res.body, 'new'), [old.id, middle.id, young.id]);
    assert.match(res.body, /Beth Older/);
    assert.match(res.body, new RegExp(old.reference));
    assert.match(res.body, /Visible high risk/);
    // Days waiting, score, repeat and children for the five-day referral.
    const row = new RegExp(`data-referral="${middle.id}"[\\s\\S]*?</tr>`).exec(res.body)![0];
    const cells = [...row.matchAll(/<td class="govuk-table__cell[^"]*">([\s\S]*?)<\/td>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, '').trim(),
    );
    assert.equal(cells[0], 'Cara Middle');
    assert.deepEqual(cells.slice(2), ['5', 'Visible high risk', '17', 'No', '2', '']);
    assert.match(res.body, /aria-sort="descending"><a class="govuk-link" href="[^"]+\?sort=waiting"/);
  });

  test('another area’s referrals never appear', async () => {
    const res = await (await client(coordinator)).get(queueUrl);
    assert.equal(res.body.includes('Elsewhere'), false);
    assert.equal(res.body.includes(elsewhere.id), false);
  });

  test('sorting by score and by date received, on the server', async () => {
    const c = await client(coordinator);
    const byScore = await c.get(`${queueUrl}?sort=score`);
    assert.deepEqual(rowOrder(byScore.body, 'new'), [old.id, middle.id, young.id]);
    assert.match(byScore.body, /aria-sort="descending"><a class="govuk-link" href="[^"]+\?sort=score"/);
    const byReceived = await c.get(`${queueUrl}?sort=received`);
    assert.deepEqual(rowOrder(byReceived.body, 'new'), [young.id, middle.id, old.id]);
    // An unknown sort falls back to the default rather than failing.
    const unknown = await c.get(`${queueUrl}?sort=%3Cscript%3E`);
    assert.equal(unknown.statusCode, 200);
    assert.deepEqual(rowOrder(unknown.body, 'new'), [old.id, middle.id, young.id]);
  });

  test('each view of the queue is audited once, about the area, for triage', async () => {
    const before = await auditsOf(area.id, 'page.viewed');
    await (await client(idva)).get(queueUrl);
    const after = await auditsOf(area.id, 'page.viewed');
    assert.equal(after.length, before.length + 1);
    const last = after.at(-1)!;
    assert.deepEqual(
      [last.actor_user_id, last.actor_role, last.subject_type, last.purpose, last.outcome],
      [idva.userId, 'idva', 'area', 'triage', 'success'],
    );
  });

  test('the IDVA sees the queue', async () => {
    const res = await (await client(idva)).get(queueUrl);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(rowOrder(res.body, 'new').length, 3);
  });

  for (const [who, actor] of [
    ['another area’s coordinator', coordinatorB],
    ['a referrer', referrer],
    ['an agency representative', policeRep],
    ['an analyst', analyst],
    ['the system administrator', admin],
  ] as const) {
    test(`${who} gets 404 for the queue, the referral and the decisions`, async () => {
      const c = await client(actor);
      assert.equal((await c.get(queueUrl)).statusCode, 404);
      assert.equal((await c.get(viewUrl(young))).statusCode, 404);
      assert.equal((await c.get(`${viewUrl(young)}/accept`)).statusCode, 404);
      assert.equal((await c.post(`${viewUrl(young)}/accept`)).statusCode, 404);
      assert.equal((await stored(young.id)).status, 'submitted');
    });
  }

  test('the home page links coordinators and IDVAs to their area’s referrals, and nobody else', async () => {
    assert.match((await (await client(coordinator)).get('/home')).body, new RegExp(`href="${queueUrl}"`));
    assert.match((await (await client(idva)).get('/home')).body, new RegExp(`href="${queueUrl}"`));
    assert.equal((await (await client(referrer)).get('/home')).body.includes(queueUrl), false);
  });
});

describe('the full referral', () => {
  test('the coordinator reads it (audited for triage), with decisions, history and who has viewed it', async () => {
    const res = await (await client(coordinator)).get(viewUrl(young));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Ayesha Young/);
    assert.match(res.body, /Threats to kill after separation/);
    assert.match(res.body, /data-testid="decisions"/);
    assert.match(res.body, new RegExp(`href="${viewUrl(young)}/accept"`));
    assert.match(res.body, /data-kind="submitted"/);
    assert.match(res.body, /data-testid="viewed-by"/);
    const views = await auditsOf(young.id, 'referral.viewed');
    const mine = views.filter((v) => v.actor_user_id === coordinator.userId);
    assert.ok(mine.length >= 1);
    assert.equal(mine.at(-1)!.purpose, 'triage');
  });

  test('the IDVA reads it without decisions, and cannot take any', async () => {
    const res = await (await client(idva)).get(viewUrl(young));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Ayesha Young/);
    assert.doesNotMatch(res.body, /data-testid="decisions"/);
    assert.match(res.body, /data-testid="viewed-by"/);
    for (const decision of Object.keys(TRANSITIONS)) {
      assert.equal((await post(idva, young, decision, { reason: 'x', message: 'x' })).statusCode, 404, decision);
    }
    assert.equal((await eventsOf(young.id)).length, 1);
  });

  test('a repeat says so in the queue and links to the earlier referral', async () => {
    const again = await submittedReferral(db, referrer, area.id, { victim: ['Ayesha', 'Young'], score: 14 });
    const row = await stored(again.id);
    assert.equal(row.repeat_of_referral_id, young.id);
    const queue = (await (await client(coordinator)).get(queueUrl)).body;
    const line = new RegExp(`data-referral="${again.id}"[\\s\\S]*?</tr>`).exec(queue)![0];
    assert.match(line, />Yes</);
    assert.match(line, /Repeat/);
    const page = await (await client(coordinator)).get(viewUrl(again));
    assert.match(page.body, new RegExp(`Yes, of ${young.reference}`));
    assert.match(page.body, new RegExp(`href="${viewUrl(young)}"`));
  });

  test('a referral of another area answers 404 under this area’s address, even to its own coordinator', async () => {
    assert.equal((await (await client(coordinator)).get(viewUrl(elsewhere))).statusCode, 404);
    assert.equal((await (await client(coordinatorB)).get(viewUrl(elsewhere))).statusCode, 404);
    assert.equal((await (await client(coordinatorB)).get(viewUrl(elsewhere, areaB.id))).statusCode, 200);
    assert.equal((await (await client(coordinator)).get(viewUrl({ id: 'not-a-uuid' }))).statusCode, 404);
  });
});

describe('decisions', () => {
  let r: Submitted;

  test('asking for more information returns the referral, seals the message, tells the referrer, audits', async () => {
    r = await submittedReferral(db, referrer, area.id, { victim: ['Erin', 'Asked'] });
    const form = await (await client(coordinator)).get(`${viewUrl(r)}/request-information`);
    assert.equal(form.statusCode, 200);
    const res = await post(coordinator, r, 'request-information', { message: 'Which school do the children attend?' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${viewUrl(r)}?done=request-information`);
    assert.equal((await stored(r.id)).status, 'returned');
    const events = await eventsOf(r.id);
    assert.deepEqual(
      events.map((e) => [e.kind, e.actor_user_id]),
      [
        ['submitted', referrer.userId],
        ['information_requested', coordinator.userId],
      ],
    );
    assert.match(events[1]!.message!, /^v1\./);
    assert.equal(events[1]!.message!.includes('school'), false);
    const audits = await auditsOf(r.id, 'referral.information_requested');
    assert.deepEqual(
      audits.map((a) => [a.actor_user_id, a.actor_role, a.case_id]),
      [[coordinator.userId, 'coordinator', r.caseId]],
    );
    const told = (await notificationsOf(r.id)).filter((n) => n.kind === 'information_requested');
    assert.deepEqual(
      told.map((n) => n.user_id),
      [referrer.userId],
    );
    // The coordinator reads the message in the history; the IDVA only learns there is one.
    const page = await (await client(coordinator)).follow(res.headers.location);
    assert.match(page.body, /Which school do the children attend\?/);
    assert.match(page.body, /Referral returned to the referrer/);
    const idvaPage = await (await client(idva)).get(viewUrl(r));
    assert.doesNotMatch(idvaPage.body, /Which school/);
    assert.match(idvaPage.body, /A message was recorded/);
    // It waits in the "returned" section of the queue.
    assert.deepEqual(rowOrder((await (await client(coordinator)).get(queueUrl)).body, 'returned'), [r.id]);
  });

  test('a returned referral cannot be accepted or sent back again: 409, nothing written', async () => {
    const before = { events: (await eventsOf(r.id)).length, notes: (await notificationsOf(r.id)).length };
    for (const [decision, fields] of [
      ['accept', {}],
      ['request-information', { message: 'Again?' }],
    ] as const) {
      const res = await post(coordinator, r, decision, fields);
      assert.equal(res.statusCode, 409, decision);
      assert.match(res.body, /waiting for more information from the referrer/);
      assert.equal((await (await client(coordinator)).get(`${viewUrl(r)}/${decision}`)).statusCode, 409);
    }
    assert.equal((await stored(r.id)).status, 'returned');
    assert.equal((await eventsOf(r.id)).length, before.events);
    assert.equal((await notificationsOf(r.id)).length, before.notes);
    assert.equal((await auditsOf(r.id, 'referral.accepted')).length, 0);
  });

  test('rejecting needs a reason; with one, the referral is rejected and the referrer told', async () => {
    const empty = await post(coordinator, r, 'reject', { reason: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /There is a problem/);
    assert.match(empty.body, /href="#reason">Enter why the referral is rejected/);
    assert.equal((await stored(r.id)).status, 'returned');

    const res = await post(coordinator, r, 'reject', { reason: 'The victim has moved abroad' });
    assert.equal(res.statusCode, 303);
    assert.equal((await stored(r.id)).status, 'rejected');
    const last = (await eventsOf(r.id)).at(-1)!;
    assert.equal(last.kind, 'rejected');
    assert.match(last.message!, /^v1\./);
    assert.equal((await auditsOf(r.id, 'referral.rejected')).length, 1);
    assert.ok(
      (await notificationsOf(r.id)).some((n) => n.kind === 'referral_rejected' && n.user_id === referrer.userId),
    );
    // Final: nothing else is open, and the page offers nothing.
    assert.equal((await post(coordinator, r, 'emergency', { reason: 'Now urgent' })).statusCode, 409);
    assert.doesNotMatch((await (await client(coordinator)).get(viewUrl(r))).body, /data-testid="decisions"/);
  });

  test('accepting makes it ready to list; a second post is refused and writes no second event', async () => {
    const a = await submittedReferral(db, referrer, area.id, { victim: ['Fay', 'Accepted'] });
    const first = await post(coordinator, a, 'accept');
    assert.equal(first.statusCode, 303);
    const again = await post(coordinator, a, 'accept');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /accepted for a meeting/);
    assert.equal((await stored(a.id)).status, 'accepted');
    assert.deepEqual(
      (await eventsOf(a.id)).map((e) => e.kind),
      ['submitted', 'accepted'],
    );
    assert.equal((await auditsOf(a.id, 'referral.accepted')).length, 1);
    assert.equal(
      (await notificationsOf(a.id)).filter((n) => n.kind === 'referral_accepted' && n.user_id === referrer.userId)
        .length,
      1,
    );
    assert.deepEqual(rowOrder((await (await client(coordinator)).get(queueUrl)).body, 'accepted'), [a.id]);
  });

  test('two decisions posted at once: one wins, the other is refused', async () => {
    const d = await submittedReferral(db, referrer, area.id, { victim: ['Gail', 'Raced'] });
    const c = await client(coordinator);
    await c.get(queueUrl);
    const results = await Promise.all([c.post(`${viewUrl(d)}/accept`), c.post(`${viewUrl(d)}/accept`)]);
    assert.deepEqual(results.map((x) => x.statusCode).sort(), [303, 409]);
    assert.deepEqual(
      (await eventsOf(d.id)).map((e) => e.kind),
      ['submitted', 'accepted'],
    );
  });

  test('marking as an emergency needs a reason, puts it first in the queue, and cannot be done twice', async () => {
    const e = await submittedReferral(db, referrer, area.id, { victim: ['Hana', 'Urgent'] });
    assert.equal((await post(coordinator, e, 'emergency', {})).statusCode, 400);
    const res = await post(coordinator, e, 'emergency', { reason: 'Perpetrator released from custody today' });
    assert.equal(res.statusCode, 303);
    const row = await stored(e.id);
    assert.deepEqual([row.status, row.is_emergency], ['submitted', true]);
    assert.equal((await auditsOf(e.id, 'referral.marked_emergency')).length, 1);
    const queue = (await (await client(coordinator)).get(queueUrl)).body;
    assert.equal(rowOrder(queue, 'new')[0], e.id);
    assert.deepEqual(rowOrder(queue, 'emergency'), [e.id]);
    assert.match(queue, /govuk-tag--red">Emergency/);
    const twice = await post(coordinator, e, 'emergency', { reason: 'Again' });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /already marked as an emergency/);
    assert.equal((await eventsOf(e.id)).filter((x) => x.kind === 'marked_emergency').length, 1);
    // Still open to the other decisions.
    assert.equal((await post(coordinator, e, 'accept')).statusCode, 303);
  });

  test('a script in a message is shown as text, never run', async () => {
    const x = await submittedReferral(db, referrer, area.id, { victim: ['Ida', 'Escaped'] });
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    assert.equal((await post(coordinator, x, 'emergency', { reason: payload })).statusCode, 303);
    const page = await (await client(coordinator)).get(viewUrl(x));
    assert.equal(page.body.includes(payload), false);
    assert.equal(page.body.includes('<img src=x'), false);
    assert.match(page.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    // And on a form shown again with an error.
    const again = await post(coordinator, x, 'reject', { reason: '' });
    assert.equal(again.statusCode, 400);
    const withPayload = await post(coordinator, x, 'request-information', { message: `${payload}${'a'.repeat(2001)}` });
    assert.equal(withPayload.statusCode, 400);
    assert.equal(withPayload.body.includes('<script>alert'), false);
  });

  test('messages are sealed at rest: the owner sees only ciphertext', async () => {
    const rows = await raw.selectFrom('referral_event').select(['kind', 'message']).execute();
    const withMessage = rows.filter((row) => row.message !== null);
    assert.ok(withMessage.length >= 4);
    for (const row of withMessage) assert.match(row.message!, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const all = JSON.stringify(rows);
    for (const secret of ['school', 'abroad', 'custody', 'script']) assert.equal(all.includes(secret), false, secret);
  });

  test('a decision about a referral that does not exist is 404', async () => {
    const ghost = { id: '00000000-0000-4000-8000-000000000000' };
    assert.equal((await post(coordinator, ghost, 'accept')).statusCode, 404);
  });
});
