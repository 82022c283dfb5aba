import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { TestClient } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { readReferral } from '../referrals/queries.ts';
import { asUser, submittedReferral } from './testing.ts';

const { app, database, owner } = await createTestApp();
const db = database.db;
const raw = owner.db;

const from = await makeArea(db, `Sending ${randomUUID().slice(0, 6)} MARAC`);
const to = await makeArea(db, `Receiving ${randomUUID().slice(0, 6)} MARAC`);
const third = await makeArea(db);
const police = await makeAgency(db, from.id, 'police');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: from.id, role: 'referrer' }] });
const sender = await makeUser(db, { roles: [{ areaId: from.id, role: 'coordinator' }] });
const senderIdva = await makeUser(db, { roles: [{ areaId: from.id, role: 'idva' }] });
const receiver = await makeUser(db, { roles: [{ areaId: to.id, role: 'coordinator' }] });
const receiverIdva = await makeUser(db, { roles: [{ areaId: to.id, role: 'idva' }] });
const outsider = await makeUser(db, { roles: [{ areaId: third.id, role: 'coordinator' }] });

const clients = new Map<string, TestClient>();
async function client(actor: Actor) {
  let c = clients.get(actor.userId);
  if (!c) clients.set(actor.userId, (c = await new TestClient(app).signInAs(db, actor.userId)));
  return c;
}
const url = (areaId: string, id: string, rest = '') => `/areas/${areaId}/referrals/${id}${rest}`;
async function post(actor: Actor, path: string, fields: Record<string, string> = {}) {
  const c = await client(actor);
  await c.get('/home');
  return c.post(path, fields);
}

const ADDRESS = 'Flat 9, 3 Quay Street, Newtown';
const r = await submittedReferral(db, referrer, from.id, { victim: ['Jess', 'Moved'], children: 1, address: ADDRESS });
const REASON = 'Victim now lives in the receiving area <b>bold</b>';

describe('transferring a referral to another MARAC area', () => {
  test('the form offers the other areas and needs an area and a reason', async () => {
    const form = await (await client(sender)).get(url(from.id, r.id, '/transfer'));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`value="${to.id}"`));
    assert.match(form.body, new RegExp(`value="${third.id}"`));
    assert.equal(form.body.includes(`value="${from.id}"`), false);
    const empty = await post(sender, url(from.id, r.id, '/transfer'), {});
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#toAreaId">Select the MARAC area to transfer to/);
    assert.match(empty.body, /href="#reason">Enter why the referral is being transferred/);
    const self = await post(sender, url(from.id, r.id, '/transfer'), { toAreaId: from.id, reason: 'x' });
    assert.equal(self.statusCode, 409);
    const unknown = await post(sender, url(from.id, r.id, '/transfer'), { toAreaId: randomUUID(), reason: 'x' });
    assert.equal(unknown.statusCode, 409);
    assert.equal((await raw.selectFrom('referral_transfer').selectAll().execute()).length, 0);
  });

  test('the IDVA of the sending area cannot transfer it', async () => {
    const res = await post(senderIdva, url(from.id, r.id, '/transfer'), { toAreaId: to.id, reason: 'x' });
    assert.equal(res.statusCode, 404);
  });

  test('a transfer moves the referral, its case and people, records it, notifies the receiving area and audits', async () => {
    const res = await post(sender, url(from.id, r.id, '/transfer'), { toAreaId: to.id, reason: REASON });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, url(from.id, r.id, '?done=transfer'));

    const referral = await raw.selectFrom('referral').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.deepEqual([referral.area_id, referral.status], [to.id, 'submitted']);
    const kase = await raw.selectFrom('marac_case').selectAll().where('id', '=', r.caseId).executeTakeFirstOrThrow();
    assert.equal(kase.area_id, to.id);
    const people = await raw
      .selectFrom('person')
      .innerJoin('case_person', 'case_person.person_id', 'person.id')
      .select('person.area_id')
      .where('case_person.case_id', '=', r.caseId)
      .execute();
    assert.equal(people.length, 3);
    assert.ok(people.every((p) => p.area_id === to.id));
    const transfers = await raw.selectFrom('referral_transfer').selectAll().execute();
    assert.deepEqual(
      transfers.map((t) => [t.referral_id, t.from_area_id, t.to_area_id, t.by_user_id]),
      [[r.id, from.id, to.id, sender.userId]],
    );
    const event = await raw
      .selectFrom('referral_event')
      .selectAll()
      .where('referral_id', '=', r.id)
      .where('kind', '=', 'transferred')
      .executeTakeFirstOrThrow();
    assert.match(event.message!, /^v1\./);
    assert.equal(event.message!.includes('receiving'), false);
    const audits = await raw
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', r.id)
      .where('action', '=', 'referral.transferred')
      .execute();
    assert.deepEqual(
      audits.map((a) => [a.actor_user_id, a.actor_role, a.case_id]),
      [[sender.userId, 'coordinator', r.caseId]],
    );
    const notes = await raw
      .selectFrom('notification')
      .selectAll()
      .where('referral_id', '=', r.id)
      .where('kind', '=', 'referral_transferred_in')
      .execute();
    assert.deepEqual(notes.map((n) => n.user_id).sort(), [receiver.userId, receiverIdva.userId].sort());
    assert.ok(notes.every((n) => n.area_id === to.id));
  });

  test('it arrives as new in the receiving area, whose coordinators can read and decide', async () => {
    const queue = await (await client(receiver)).get(`/areas/${to.id}/referrals`);
    assert.match(queue.body, /data-testid="queue-new"[\s\S]*Jess Moved/);
    const page = await (await client(receiver)).get(url(to.id, r.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="decisions"/);
    assert.match(page.body, /Transferred to another MARAC area: from Sending/);
    assert.match(page.body, /Victim now lives in the receiving area &lt;b&gt;bold&lt;\/b&gt;/);
    // The sealed fields still open in the new area: the case kept its data key.
    const view = await asUser(db, receiver, (trx, ctx) => readReferral(trx, ctx, r.id, 'triage'));
    assert.deepEqual([view.areaId, view.victimAddress], [to.id, ADDRESS]);
    const idvaQueue = await (await client(receiverIdva)).get(`/areas/${to.id}/referrals`);
    assert.match(idvaQueue.body, /Jess Moved/);
  });

  test('the sending coordinator keeps a read-only record: no decisions, and every decision refused', async () => {
    const page = await (await client(sender)).get(url(from.id, r.id, '?done=transfer'));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Referral transferred/);
    assert.match(page.body, /read-only record/);
    assert.match(page.body, /Jess Moved/);
    assert.match(page.body, /Threats to kill after separation/); // sealed fields open for the sender
    assert.match(page.body, /Victim now lives in the receiving area/);
    assert.doesNotMatch(page.body, /data-testid="decisions"/);
    assert.doesNotMatch(page.body, /data-testid="viewed-by"/);
    assert.match(page.body, /Not shown: the receiving area checks repeats/);
    // Where the victim lives now belongs to the receiving area alone.
    assert.equal(page.body.includes('Quay Street'), false);
    // The read is audited for triage, with no role claimed in an area the referral has left.
    const read = await raw
      .selectFrom('audit_event')
      .selectAll()
      .where('subject_id', '=', r.id)
      .where('action', '=', 'referral.viewed')
      .where('actor_user_id', '=', sender.userId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual([read.actor_role, read.purpose], [null, 'triage']);
    const queue = await (await client(sender)).get(`/areas/${from.id}/referrals`);
    assert.doesNotMatch(queue.body, /data-testid="queue-new"/);
    assert.match(queue.body, /data-testid="transferred-out"[\s\S]*Receiving/);
    for (const decision of ['accept', 'request-information', 'reject', 'emergency', 'transfer']) {
      const fields = { reason: 'x', message: 'x', toAreaId: third.id };
      assert.equal((await post(sender, url(from.id, r.id, `/${decision}`), fields)).statusCode, 404, decision);
      assert.equal((await post(sender, url(to.id, r.id, `/${decision}`), fields)).statusCode, 404, decision);
    }
    assert.equal((await (await client(sender)).get(url(to.id, r.id))).statusCode, 404);
    const referral = await raw.selectFrom('referral').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.deepEqual([referral.area_id, referral.status], [to.id, 'submitted']);
  });

  test('the database lets the sender read, never write', async () => {
    const seen = await asUser(db, sender, async (trx) => ({
      referral: await trx.selectFrom('referral').select('id').where('id', '=', r.id).execute(),
      people: await trx.selectFrom('case_person').select('person_id').where('case_id', '=', r.caseId).execute(),
      kase: await trx.selectFrom('marac_case').select('id').where('id', '=', r.caseId).execute(),
      updated: await trx.updateTable('referral').set({ status: 'rejected' }).where('id', '=', r.id).executeTakeFirst(),
      renamed: await trx
        .updateTable('person')
        .set({ family_name: 'Changed' })
        .where('id', 'in', (eb) => eb.selectFrom('case_person').select('person_id').where('case_id', '=', r.caseId))
        .executeTakeFirst(),
      shredded: await trx
        .deleteFrom('case_data_key' as never)
        .where('case_id' as never, '=', r.caseId as never)
        .executeTakeFirst(),
    }));
    assert.equal(seen.referral.length, 1);
    assert.equal(seen.people.length, 3);
    assert.equal(seen.kase.length, 0);
    assert.equal(Number(seen.updated.numUpdatedRows), 0);
    assert.equal(Number(seen.renamed.numUpdatedRows), 0);
    assert.equal(Number(seen.shredded.numDeletedRows), 0);
    await assert.rejects(
      asUser(db, sender, (trx) =>
        trx
          .insertInto('referral_event')
          .values({ id: randomUUID(), referral_id: r.id, actor_user_id: sender.userId, kind: 'accepted' })
          .execute(),
      ),
      /row-level security/,
    );
    await assert.rejects(
      asUser(db, sender, (trx) =>
        trx.selectNoFrom((eb) => eb.fn('marac_transfer_referral', [eb.val(r.id), eb.val(third.id)]).as('t')).execute(),
      ),
      /referral not found/,
    );
  });

  test('the sending IDVA and other areas’ coordinators get 404', async () => {
    assert.equal((await (await client(senderIdva)).get(url(from.id, r.id))).statusCode, 404);
    assert.equal((await (await client(outsider)).get(url(from.id, r.id))).statusCode, 404);
    assert.equal((await (await client(outsider)).get(url(to.id, r.id))).statusCode, 404);
    assert.equal((await (await client(outsider)).get(url(third.id, r.id))).statusCode, 404);
    const none = await asUser(db, senderIdva, (trx) =>
      trx.selectFrom('referral').select('id').where('id', '=', r.id).execute(),
    );
    assert.deepEqual(none, []);
  });

  test('the sender’s record stops at the transfer: later decisions are not shown to them', async () => {
    assert.equal((await post(receiver, url(to.id, r.id, '/accept'))).statusCode, 303);
    const receiverPage = await (await client(receiver)).get(url(to.id, r.id));
    assert.match(receiverPage.body, /data-kind="accepted"/);
    const senderPage = await (await client(sender)).get(url(from.id, r.id));
    assert.match(senderPage.body, /data-kind="transferred"/);
    assert.doesNotMatch(senderPage.body, /data-kind="accepted"/);
  });

  test('an accepted referral cannot be transferred: 409, nothing written', async () => {
    const res = await post(receiver, url(to.id, r.id, '/transfer'), { toAreaId: third.id, reason: 'Moved again' });
    assert.equal(res.statusCode, 409);
    assert.equal((await raw.selectFrom('referral_transfer').selectAll().execute()).length, 1);
    const referral = await raw.selectFrom('referral').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    assert.equal(referral.area_id, to.id);
  });
});
