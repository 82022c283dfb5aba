import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient } from '../../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../../test/factories.ts';
import { createTestApp } from '../../../../test/harness.ts';
import { completeReferral, errorList, save } from './testing.ts';

const { app, database, owner } = await createTestApp();
const db = database.db;
const area = await makeArea(db);
const otherArea = await makeArea(db);
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const colleague = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const elsewhere = await makeUser(db, { roles: [{ areaId: otherArea.id, role: 'referrer' }] });
const twoAreas = await makeUser(db, {
  roles: [
    { areaId: area.id, role: 'referrer' },
    { areaId: otherArea.id, role: 'referrer' },
  ],
});
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const client = await new TestClient(app).signInAs(db, referrer.userId);

async function startDraft(c = client, areaId = area.id) {
  await c.get(`/areas/${areaId}/referrals/new`);
  const res = await c.post(`/areas/${areaId}/referrals/new`);
  assert.equal(res.statusCode, 303);
  return String(res.headers.location).split('/').pop()!;
}

const statuses = async (id: string) => {
  const body = (await client.get(`/referrals/${id}`)).body;
  return {
    notStarted: (body.match(/Not yet started/g) ?? []).length,
    inProgress: (body.match(/In progress/g) ?? []).length,
    completed: (body.match(/>\s*Completed\s*</g) ?? []).length,
  };
};

const submitFrom = async (id: string, c = client) => {
  const check = await c.get(`/referrals/${id}/check`);
  const key = /name="submissionKey" value="([^"]+)"/.exec(check.body)![1]!;
  return { check, key, res: await c.post(`/referrals/${id}/submit`, { submissionKey: key }) };
};

describe('starting a referral', () => {
  test('a referrer in one area goes straight to its start page; in several, chooses the area', async () => {
    const one = await client.get('/referrals/new');
    assert.equal(one.headers.location, `/areas/${area.id}/referrals/new`);
    const both = await new TestClient(app).signInAs(db, twoAreas.userId);
    const choose = await both.get('/referrals/new');
    assert.equal(choose.statusCode, 200);
    assert.ok(choose.body.includes(`/areas/${area.id}/referrals/new`));
    assert.ok(choose.body.includes(`/areas/${otherArea.id}/referrals/new`));
  });

  test('the home page links a referrer to start a referral and to their referrals', async () => {
    const home = await client.get('/home');
    assert.ok(home.body.includes('href="/referrals/new"'));
    assert.ok(home.body.includes('href="/referrals"'));
    const theirs = await (await new TestClient(app).signInAs(db, coordinator.userId)).get('/home');
    assert.ok(!theirs.body.includes('href="/referrals/new"'), 'not for someone who is not a referrer');
  });

  test('only a referrer of the area may start one there', async () => {
    assert.equal((await client.get(`/areas/${otherArea.id}/referrals/new`)).statusCode, 404);
    assert.equal((await client.post(`/areas/${otherArea.id}/referrals/new`)).statusCode, 404);
    const coord = await new TestClient(app).signInAs(db, coordinator.userId);
    assert.equal((await coord.get('/referrals/new')).statusCode, 404);
  });
});

describe('the referral journey', () => {
  test('completed page by page, each section saved, checked and submitted once despite a double click', async () => {
    const id = await startDraft();
    assert.deepEqual(await statuses(id), { notStarted: 10, inProgress: 0, completed: 0 });
    await save(client, `/referrals/${id}/about-you`, { referrerJobTitle: 'Practice nurse' });
    assert.deepEqual(await statuses(id), { notStarted: 9, inProgress: 1, completed: 0 });
    const check = await client.get(`/referrals/${id}/check`);
    assert.ok(errorList(check.body).length > 10, 'every missing answer is listed with a link');
    assert.ok(errorList(check.body).includes(`/referrals/${id}/about-you#referrerPhone: Enter your work phone number`));

    await completeReferral(client, id);
    assert.deepEqual(await statuses(id), { notStarted: 0, inProgress: 0, completed: 10 });
    const about = await client.get(`/referrals/${id}/about-you`);
    assert.ok(about.body.includes('value="Text for job title"'), 'a saved page shows its answers again');

    const { check: page, key, res: first } = await submitFrom(id);
    assert.deepEqual(errorList(page.body), []);
    assert.ok(page.body.includes('Text for narrative'));
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/referrals/${id}/confirmation`);
    const [again, third] = await Promise.all([
      client.post(`/referrals/${id}/submit`, { submissionKey: key }),
      client.post(`/referrals/${id}/submit`, { submissionKey: key }),
    ]);
    assert.equal(again.headers.location, first.headers.location);
    assert.equal(third.headers.location, first.headers.location);
    const events = await owner.db.selectFrom('referral_event').selectAll().where('referral_id', '=', id).execute();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['submitted'],
    );
    const confirmation = await client.get(`/referrals/${id}/confirmation`);
    const row = await owner.db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(confirmation.body.includes(`Your reference number is ${row.reference}`));
    assert.equal(row.score, 15);
    assert.deepEqual(row.criteria_met, ['visible_high_risk']);

    // Submitted: the question pages lead back to the read-only referral.
    assert.equal((await client.get(`/referrals/${id}/victim`)).headers.location, `/referrals/${id}`);
    const post = await client.post(`/referrals/${id}/victim`, { givenNames: 'Changed', familyName: 'Later' });
    assert.equal(post.headers.location, `/referrals/${id}`);
    const readOnly = await client.get(`/referrals/${id}`);
    assert.ok(readOnly.body.includes(row.reference!));
    assert.ok(!readOnly.body.includes('>Change<'), 'no change links once submitted');

    const list = await client.get('/referrals');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(row.reference!));
    assert.ok(list.body.includes('Alex Morgan'));
  });

  test('"Save and come back later" saves and goes to Your referrals; the draft is resumed from there', async () => {
    const id = await startDraft();
    const res = await client.post(`/referrals/${id}/victim`, {
      action: 'later',
      givenNames: 'Jordan',
      familyName: 'Vale',
    });
    assert.equal(res.headers.location, '/referrals');
    const list = await client.get('/referrals');
    assert.ok(list.body.includes(`href="/referrals/${id}">Jordan Vale`));
    assert.ok((await client.get(`/referrals/${id}/victim`)).body.includes('value="Jordan"'));
  });

  test('people are added, changed and removed; a child may be unborn, with an expected date', async () => {
    const id = await startDraft();
    const r = `/referrals/${id}`;
    await save(client, `${r}/perpetrators/add`, { givenNames: 'Lee', familyName: 'Hart', relationship: 'partner' });
    const perpetrator = await owner.db
      .selectFrom('person')
      .innerJoin('case_person', 'case_person.person_id', 'person.id')
      .innerJoin('referral', 'referral.case_id', 'case_person.case_id')
      .select('person.id')
      .where('referral.id', '=', id)
      .executeTakeFirstOrThrow();
    await save(client, `${r}/perpetrators/${perpetrator.id}`, {
      givenNames: 'Lee',
      familyName: 'Harte',
      relationship: 'ex_partner',
    });
    const list = await client.get(`${r}/perpetrators`);
    assert.ok(list.body.includes('Lee Harte'));
    assert.ok(list.body.includes('Ex-partner'));

    const unborn = await client.post(`${r}/children/add`, { unborn: 'yes', familyName: 'Hart' });
    assert.deepEqual(errorList(unborn.body), ['#expectedDate-day: Enter the expected date of birth']);
    await save(client, `${r}/children/add`, {
      unborn: 'yes',
      familyName: 'Hart',
      'expectedDate-day': '1',
      'expectedDate-month': '1',
      'expectedDate-year': '2031',
      [`perpetrator-${perpetrator.id}`]: 'parent',
    });
    const children = await client.get(`${r}/children`);
    assert.ok(children.body.includes('Unborn child Hart'));

    const removed = await client.post(`${r}/perpetrators/${perpetrator.id}/remove`);
    assert.equal(removed.statusCode, 303);
    assert.ok(!(await client.get(`${r}/perpetrators`)).body.includes('Lee Harte'));
    assert.equal((await client.get(`${r}/perpetrators/${perpetrator.id}`)).statusCode, 404);
  });
});

describe('validation: every error at once, the answers kept, nothing saved', () => {
  test('text lengths, impossible dates, radios and numbers on the victim page', async () => {
    const id = await startDraft();
    const long = 'x'.repeat(201);
    const res = await client.post(`/referrals/${id}/victim`, {
      givenNames: '',
      familyName: long,
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1990',
      approximateAge: 'about forty',
      gender: 'martian',
      firstLanguage: 'y'.repeat(101),
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(errorList(res.body), [
      "#givenNames: Enter the victim's given names",
      "#familyName: The victim's family name must be 200 characters or fewer",
      '#dateOfBirth-day: Date of birth must be a real date',
      '#approximateAge: Approximate age must be a whole number, like 3',
      "#gender: Select one of the options for the victim's gender",
      '#firstLanguage: First language must be 100 characters or fewer',
    ]);
    assert.match(res.body, /<title>Error: /);
    assert.ok(res.body.includes(`value="${long}"`), 'the invalid answer is shown again');
    assert.ok(res.body.includes('value="31"') && res.body.includes('value="about forty"'));
    assert.deepEqual(await statuses(id), { notStarted: 10, inProgress: 0, completed: 0 });
  });

  test('dates: missing parts, short years, the future, letters', async () => {
    const id = await startDraft();
    const post = (day: string, month: string, year: string) =>
      client.post(`/referrals/${id}/victim`, {
        givenNames: 'A',
        familyName: 'B',
        'dateOfBirth-day': day,
        'dateOfBirth-month': month,
        'dateOfBirth-year': year,
      });
    const cases: [string, string, string, string][] = [
      ['1', '', '', '#dateOfBirth-month: Date of birth must include a month and a year'],
      ['1', '2', '90', '#dateOfBirth-year: The year must include 4 numbers'],
      ['1', '13', '1990', '#dateOfBirth-month: Date of birth must be a real date'],
      ['29', '2', '2023', '#dateOfBirth-day: Date of birth must be a real date'],
      ['a', '2', '1990', '#dateOfBirth-day: Date of birth must be a real date'],
      ['1', '1', '2999', '#dateOfBirth-day: Date of birth must be today or in the past'],
      ['1', '1', '1850', '#dateOfBirth-year: Date of birth must be after 1900'],
    ];
    for (const [day, month, year, error] of cases) {
      const res = await post(day, month, year);
      assert.equal(res.statusCode, 400, `${day}/${month}/${year}`);
      assert.deepEqual(errorList(res.body), [error]);
    }
    await save(client, `/referrals/${id}/victim`, {
      givenNames: 'A\u0000',
      familyName: 'B',
      firstLanguage: 'Welsh\u0000',
      'dateOfBirth-day': '29',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2024',
    });
  });

  test('checkboxes, numbers, a rationale for professional judgement, fields that need another', async () => {
    const id = await startDraft();
    const contact = await client.post(`/referrals/${id}/safe-contact`, {
      safeMethods: 'text_message',
      inRefuge: 'yes',
      victimAddress: '1 Any Street',
    });
    assert.deepEqual(errorList(contact.body), [
      '#victimAddress: Leave the address blank when the victim is in a refuge: the IDVA service holds it',
    ]);
    assert.match(contact.body, /value="text_message" checked/);
    const pigeon = await client.post(`/referrals/${id}/safe-contact`, { safeMethods: 'carrier_pigeon' });
    assert.deepEqual(errorList(pigeon.body), ['#safeMethods: Select only the listed options for safe ways']);

    for (const [value, error] of [
      ['-1', 'The number of incidents must be a whole number, like 3'],
      ['2.5', 'The number of incidents must be a whole number, like 3'],
      ['5000', 'The number of incidents must be between 0 and 1000'],
    ]) {
      const res = await client.post(`/referrals/${id}/criteria`, { recentIncidents: value! });
      assert.deepEqual(errorList(res.body), [`#recentIncidents: ${error}`]);
    }
    const none = await client.post(`/referrals/${id}/criteria`, { professionalJudgement: 'yes' });
    assert.deepEqual(errorList(none.body), [
      '#professionalJudgementRationale: Enter why you are referring on professional judgement',
    ]);
    const short = await client.post(`/referrals/${id}/criteria`, {
      professionalJudgement: 'yes',
      professionalJudgementRationale: 'Scared',
    });
    assert.deepEqual(errorList(short.body), [
      '#professionalJudgementRationale: Why you are referring on professional judgement must be 20 characters or more',
    ]);
    const consent = await client.post(`/referrals/${id}/consent`, { victimAware: 'no', consentGiven: 'no' });
    assert.deepEqual(errorList(consent.body), [
      '#notAwareReason: Enter why the victim is not aware of the referral',
      '#lawfulBasis: Select the lawful basis for sharing without consent',
      '#lawfulBasisReason: Enter why you are sharing without consent',
    ]);
    const checklist = await client.post(`/referrals/${id}/risk/checklist/1`, {
      'q1-comment': 'Said without an answer',
      'q2-answer': 'maybe',
      'q3-afraid_of': 'aliens',
    });
    assert.deepEqual(errorList(checklist.body), [
      "#q1-answer: Select yes, no or don't know for question 1",
      '#q2-answer: Select one of the options for question 2',
      '#q3-afraid_of: Select only the listed options for the answer to “What is the victim afraid of?” (question 3)',
    ]);
    assert.ok(checklist.body.includes('Said without an answer'));
    const unknown = await client.post(`/referrals/${id}/about-you`, { isEmergency: 'yes' });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(errorList(unknown.body), [
      '#form: The form could not be understood. Go back, refresh the page and try again',
    ]);
    assert.deepEqual(await statuses(id), { notStarted: 10, inProgress: 0, completed: 0 });
  });

  test('the live score is worked out on the server from the saved answers after each page', async () => {
    const id = await startDraft();
    await save(client, `/referrals/${id}/risk`, { assessmentTool: 'dash_ric' });
    await save(client, `/referrals/${id}/risk/checklist/1`, {
      'q1-answer': 'yes',
      'q2-answer': 'yes',
      'q3-answer': 'no',
    });
    const next = await client.get(`/referrals/${id}/risk/checklist/2`);
    assert.match(next.body, /Score so far: <strong data-live-score-value>2<\/strong>/);
    assert.match(next.body, /data-score-other="2"/);
    assert.match(next.body, /<script type="module" src="\/assets\/[^"]+\/app\/referral-score\.mjs"><\/script>/);
    assert.equal((await client.get(`/referrals/${id}/risk/checklist/5`)).statusCode, 404);
  });
});

describe('safety', () => {
  test('the sealed fields are ciphertext at rest: no plaintext in any row', async () => {
    const id = await startDraft();
    await completeReferral(client, id, (name) => `SEALED-${name.replaceAll(' ', '-')}`);
    const ref = await owner.db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const people = await owner.db
      .selectFrom('person')
      .innerJoin('case_person', 'case_person.person_id', 'person.id')
      .selectAll('person')
      .where('case_person.case_id', '=', ref.case_id)
      .execute();
    assert.ok(!JSON.stringify(ref).includes('SEALED-'), 'the referral row holds no plaintext');
    assert.ok(!JSON.stringify(people).includes('SEALED-'), 'the person rows hold no plaintext');
    for (const value of [ref.details, ref.victim_address, ref.safe_contact, ref.narrative, ref.checklist_notes]) {
      assert.match(value ?? '', /^v1\./);
    }
    for (const person of people.filter((p) => p.given_names !== 'Alex')) assert.match(person.details ?? '', /^v1\./);
    // …and the referrer still sees every answer.
    const check = await client.get(`/referrals/${id}/check`);
    for (const name of ['address', 'fears', 'school', 'risk-to-professionals', 'narrative', 'checklist-comment']) {
      assert.ok(check.body.includes(`SEALED-${name}`), name);
    }
  });

  test('script payloads in every free-text field are shown as text, never run', async () => {
    const id = await startDraft();
    const payload = (name: string) =>
      `<script>alert('${name.replaceAll(' ', '')}')</script><img src=x onerror=alert(1)>`;
    await completeReferral(client, id, payload);
    for (const path of [`/referrals/${id}/check`, `/referrals/${id}/consent`, `/referrals/${id}/children`]) {
      const body = (await client.get(path)).body;
      assert.ok(!/<script>alert/.test(body), path);
      assert.ok(!/<img src=x/.test(body), path);
    }
    const check = (await client.get(`/referrals/${id}/check`)).body;
    for (const name of [
      'jobtitle',
      'fears',
      'wants',
      'narrative',
      'school',
      'perpetratoraddress',
      'checklistcomment',
    ]) {
      assert.ok(
        check.includes(`&lt;script&gt;alert(&#39;${name}&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;`),
        name,
      );
    }
  });

  test('another referrer, another area and a coordinator get 404 for someone else’s draft', async () => {
    const id = await startDraft();
    await save(client, `/referrals/${id}/victim`, { givenNames: 'Kept', familyName: 'Private' });
    const paths = ['', '/victim', '/perpetrators', '/perpetrators/add', '/risk/checklist/1', '/check', '/confirmation'];
    for (const user of [colleague, elsewhere, coordinator]) {
      const other = await new TestClient(app).signInAs(db, user.userId);
      for (const path of paths) {
        const res = await other.get(`/referrals/${id}${path}`);
        assert.equal(res.statusCode, 404, `${path} for ${user.email}`);
        assert.ok(!res.body.includes('Kept'));
      }
      await other.get('/home');
      assert.equal((await other.post(`/referrals/${id}/victim`, { givenNames: 'X', familyName: 'Y' })).statusCode, 404);
      assert.equal((await other.post(`/referrals/${id}/submit`, { submissionKey: 'k'.repeat(32) })).statusCode, 404);
      assert.ok(!(await other.get('/referrals')).body.includes('Kept Private'));
    }
    assert.equal((await client.get('/referrals/not-an-id')).statusCode, 404);
    assert.equal((await client.get(`/referrals/${id}/perpetrators/not-an-id`)).statusCode, 404);
  });
});
