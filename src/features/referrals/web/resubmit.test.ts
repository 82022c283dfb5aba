import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { TestClient } from '../../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../../test/factories.ts';
import { createTestApp, testKeyring } from '../../../../test/harness.ts';
import { withCaseFields } from '../../../platform/crypto/fields.ts';
import { completeReferral, errorList, save } from './testing.ts';

const { app, database, owner } = await createTestApp();
const db = database.db;
const area = await makeArea(db);
const strict = await makeArea(db);
await owner.db
  .updateTable('marac_area')
  .set({ requires_manager_sign_off: true, criteria_settings: JSON.stringify({ visibleHighRiskThreshold: 17 }) })
  .where('id', '=', strict.id)
  .execute();
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, {
  agencyId: gp.id,
  roles: [
    { areaId: area.id, role: 'referrer' },
    { areaId: strict.id, role: 'referrer' },
  ],
});
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const client = await new TestClient(app).signInAs(db, referrer.userId);

async function startDraft(areaId = area.id) {
  await client.get(`/areas/${areaId}/referrals/new`);
  const res = await client.post(`/areas/${areaId}/referrals/new`);
  return String(res.headers.location).split('/').pop()!;
}

async function submitFrom(id: string) {
  const check = await client.get(`/referrals/${id}/check`);
  const key = /name="submissionKey" value="([^"]+)"/.exec(check.body)![1]!;
  return { check, key, res: await client.post(`/referrals/${id}/submit`, { submissionKey: key }) };
}

const row = (id: string) => owner.db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('a referral returned for more information', () => {
  test('shows the coordinator’s request, can be changed, and is resubmitted under its reference', async () => {
    const id = await startDraft();
    await completeReferral(client, id);
    assert.equal((await submitFrom(id)).res.statusCode, 303);
    const submitted = await row(id);

    // What the coordinator's triage will do: return it with a sealed message.
    const eventId = randomUUID();
    const message = 'Please add the <b>children’s</b> school.\nAnd the perpetrator’s address.';
    await owner.db.transaction().execute(async (trx) => {
      await trx.updateTable('referral').set({ status: 'returned' }).where('id', '=', id).execute();
      const sealed = await withCaseFields(trx, testKeyring, submitted.case_id, (fields) =>
        fields.seal('referral_event', 'message', eventId, message),
      );
      await trx
        .insertInto('referral_event')
        .values({
          id: eventId,
          referral_id: id,
          actor_user_id: coordinator.userId,
          kind: 'information_requested',
          message: sealed,
        })
        .execute();
    });

    const tasks = await client.get(`/referrals/${id}`);
    assert.ok(tasks.body.includes('More information needed'));
    assert.ok(tasks.body.includes('Please add the &lt;b&gt;children’s&lt;/b&gt; school.'), 'the message, escaped');
    const list = await client.get('/referrals');
    assert.ok(list.body.includes('The coordinator has asked for more information'));

    await save(client, `/referrals/${id}/narrative`, {
      narrative: 'More detail, as asked',
      reportedToPolice: 'yes',
      previousMarac: 'no',
    });
    const people = await owner.db
      .selectFrom('case_person')
      .select('person_id')
      .where('case_id', '=', submitted.case_id)
      .where('role', '=', 'child')
      .executeTakeFirstOrThrow();
    const remove = await client.post(`/referrals/${id}/children/${people.person_id}/remove`);
    assert.equal(remove.statusCode, 409, 'people on a submitted referral are not removed');

    const { check, key, res } = await submitFrom(id);
    assert.ok(check.body.includes('Resubmit referral'));
    assert.equal(res.headers.location, `/referrals/${id}/confirmation`);
    const again = await client.post(`/referrals/${id}/submit`, { submissionKey: key });
    assert.equal(again.headers.location, res.headers.location);

    const after = await row(id);
    assert.equal(after.status, 'submitted');
    assert.equal(after.reference, submitted.reference);
    assert.equal(after.submission_key, key);
    assert.notEqual(key, submitted.submission_key);
    assert.deepEqual(after.submitted_at, submitted.submitted_at, 'the referral date stays the first submission');
    const events = await owner.db
      .selectFrom('referral_event')
      .select('kind')
      .where('referral_id', '=', id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['submitted', 'information_requested', 'resubmitted'],
    );
    const audits = await owner.db
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', id)
      .where('action', '=', 'referral.resubmitted')
      .execute();
    assert.equal(audits.length, 1);
    const notes = await owner.db
      .selectFrom('notification')
      .select(['user_id', 'kind'])
      .where('referral_id', '=', id)
      .where('kind', '=', 'referral_resubmitted')
      .execute();
    assert.deepEqual(notes, [{ user_id: coordinator.userId, kind: 'referral_resubmitted' }]);
    const confirmation = await client.get(`/referrals/${id}/confirmation`);
    assert.ok(confirmation.body.includes(`Your reference number is ${submitted.reference}`));
  });

  test('a submitted referral that was not returned cannot be resubmitted', async () => {
    const id = await startDraft();
    await completeReferral(client, id);
    await submitFrom(id);
    const other = await client.post(`/referrals/${id}/submit`, { submissionKey: 'another-key-0123456789' });
    assert.equal(other.headers.location, `/referrals/${id}`);
    assert.equal((await row(id)).status, 'submitted');
  });
});

describe('the area’s rules at submission', () => {
  test('an area that requires manager sign-off asks for it and will not take the referral without it', async () => {
    const id = await startDraft(strict.id);
    const about = await client.get(`/referrals/${id}/about-you`);
    assert.ok(about.body.includes('Your line manager&#39;s name'));
    await completeReferral(client, id);
    const { check, res } = await submitFrom(id);
    assert.ok(errorList(check.body).includes(`/referrals/${id}/about-you#managerName: Enter your line manager's name`));
    assert.equal(res.statusCode, 422);
    assert.equal((await row(id)).status, 'draft');
    await save(client, `/referrals/${id}/about-you`, {
      referrerJobTitle: 'Nurse',
      referrerPhone: '01632 960002',
      referrerWillAttend: 'no',
      managerName: 'Pat Lead',
      'managerSignOffDate-day': '1',
      'managerSignOffDate-month': '1',
      'managerSignOffDate-year': '2025',
    });
    // This area lists at 17: a score of 15 meets no criterion, and the page says why.
    const refused = (await submitFrom(id)).res;
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.body.includes('This referral does not meet any MARAC criterion'));
    assert.ok(refused.body.includes('below this area&#39;s threshold of 17'));
    await save(client, `/referrals/${id}/criteria`, {
      recentIncidents: '0',
      professionalJudgement: 'yes',
      professionalJudgementRationale: 'Threats to kill and strangulation last week',
    });
    assert.equal((await submitFrom(id)).res.statusCode, 303);
    assert.deepEqual((await row(id)).criteria_met, ['professional_judgement']);
  });

  test('a police DARA result is used in place of the checklist when recorded', async () => {
    const id = await startDraft();
    await completeReferral(client, id);
    await save(client, `/referrals/${id}/risk`, { assessmentTool: 'dara', assessmentResult: 'high' });
    const check = await client.get(`/referrals/${id}/check`);
    assert.ok(check.body.includes('A police DARA'));
    assert.equal((await submitFrom(id)).res.statusCode, 303);
    const submitted = await row(id);
    assert.equal(submitted.score, null);
    // The same victim and perpetrator as the referrals above: a repeat as well, whatever the result.
    assert.deepEqual(submitted.criteria_met, ['visible_high_risk', 'repeat']);
  });

  test('another tool needs its name and result, and counts only through professional judgement', async () => {
    const id = await startDraft();
    await completeReferral(client, id);
    // A victim not referred before, so the repeat rule does not apply.
    await save(client, `/referrals/${id}/victim`, {
      givenNames: 'Robin',
      familyName: 'Ash',
      'dateOfBirth-day': '2',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2008',
      gender: 'male',
      interpreterNeeded: 'no',
    });
    const missing = await client.post(`/referrals/${id}/risk`, { assessmentTool: 'other' });
    assert.deepEqual(errorList(missing.body), [
      '#assessmentResult: Select the result of the risk assessment: high, medium or standard',
      '#otherToolName: Enter the name of the risk assessment tool',
    ]);
    await save(client, `/referrals/${id}/risk`, {
      assessmentTool: 'other',
      assessmentResult: 'high',
      otherToolName: 'Young people’s checklist',
    });
    const refused = (await submitFrom(id)).res;
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.body.includes('counts only through professional judgement'));
  });
});
