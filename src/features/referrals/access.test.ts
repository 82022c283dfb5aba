import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { AppError } from '../../platform/http/errors.ts';
import { createDraft, saveAnswers } from './drafts.ts';
import { addPerson } from './people.ts';
import { readReferral, REDACTED, visibleReferrals } from './queries.ts';
import { NATIONAL_DEFAULTS } from './rules/settings.ts';
import { submit } from './submit.ts';
import { as, checklistWith, newKey } from './testing.ts';

const { db } = await createTestDatabase();
await migrate(db);

const area = await makeArea(db);
const areaB = await makeArea(db);
const police = await makeAgency(db, area.id, 'police');
const housing = await makeAgency(db, area.id, 'housing');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const otherReferrer = await makeUser(db, { agencyId: housing.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
const idva = await makeUser(db, { roles: [{ areaId: area.id, role: 'idva' }] });
const chair = await makeUser(db, { roles: [{ areaId: area.id, role: 'chair' }] });
// The referring agency's representative has a need to know once the referral is submitted; housing has none.
const policeRep = await makeUser(db, {
  agencyId: police.id,
  roles: [{ areaId: area.id, role: 'agency_representative' }],
});
const housingRep = await makeUser(db, {
  agencyId: housing.id,
  roles: [{ areaId: area.id, role: 'agency_representative' }],
});
const coordinatorB = await makeUser(db, { roles: [{ areaId: areaB.id, role: 'coordinator' }] });

const ADDRESS = 'Flat 2, 14 Harbour Row, Leeds LS1 4AB';
const LOCATION = 'In refuge in Wakefield, contact via IDVA only';
const PHONE = '07700 900123';
const NARRATIVE = 'He broke down the door on Tuesday night and held her by the throat';
const RATIONALE = 'Strangulation and threats to kill: the victim is very frightened';
const CHECKLIST_COMMENT = 'Knife kept under the sofa at the new flat';

// A submitted referral by `referrer`, and a draft by `otherReferrer`.
const submitted = await as(db, referrer, async (trx, ctx) => {
  const draft = await createDraft(trx, ctx, area.id);
  await saveAnswers(trx, ctx, draft.id, {
    victimAddress: ADDRESS,
    victimLocation: LOCATION,
    safeContact: { phone: PHONE, safeToCall: true, safeToLeaveMessage: false, safeTimes: 'Weekdays 10:00-12:00' },
    narrative: NARRATIVE,
    professionalJudgement: true,
    professionalJudgementRationale: RATIONALE,
    recentIncidents: 1,
    victimAware: true,
    checklist: checklistWith(15, CHECKLIST_COMMENT),
  });
  await addPerson(trx, ctx, draft.id, {
    role: 'victim',
    givenNames: 'Alex',
    familyName: 'Morgan',
    dateOfBirth: '1990-04-01',
  });
  await addPerson(trx, ctx, draft.id, {
    role: 'perpetrator',
    givenNames: 'Sam',
    familyName: 'Morgan',
    relationship: 'ex_partner',
  });
  await submit(trx, ctx, draft.id, newKey(), NATIONAL_DEFAULTS);
  return draft;
});
const otherDraft = await as(db, otherReferrer, (trx, ctx) => createDraft(trx, ctx, area.id));

const isNotFound = (error: unknown) => error instanceof AppError && error.status === 404;

describe('referrals: encryption at rest', () => {
  test('the dangerous fields are stored as ciphertext only; the plaintext appears nowhere in the row', async () => {
    // The owner's connection: what a copy of the database holds.
    const row = await db.selectFrom('referral').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    for (const column of [
      'victim_address',
      'victim_location',
      'safe_contact',
      'narrative',
      'professional_judgement_rationale',
      'checklist_notes',
    ] as const) {
      assert.match(row[column] ?? '', /^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, column);
    }
    const stored = JSON.stringify(row);
    for (const secret of ['Harbour Row', 'Wakefield', '900123', 'throat', 'Strangulation', 'sofa', 'Bruising']) {
      assert.equal(stored.includes(secret), false, `"${secret}" is stored in plain text`);
    }
    // The plain parts are where they should be.
    assert.equal(row.answers['recentIncidents'], 1);
    assert.deepEqual((row.checklist_answers as Record<string, unknown>)['q1'], {
      answer: 'yes',
      details: { first_injury: 'no' },
    });
  });

  test('a sealed value copied to another referral does not open there', async () => {
    const row = await db.selectFrom('referral').selectAll().where('id', '=', submitted.id).executeTakeFirstOrThrow();
    const copy = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await saveAnswers(trx, ctx, draft.id, { victimAddress: 'Somewhere else' }); // its case now has a data key
      return draft;
    });
    await db.updateTable('referral').set({ narrative: row.narrative }).where('id', '=', copy.id).execute();
    await assert.rejects(
      as(db, referrer, (trx, ctx) => readReferral(trx, ctx, copy.id, 'direct_care')),
      (error: Error) => error.name === 'FieldDecryptionError',
    );
  });

  test('free text cannot be slipped into the plain answers', async () => {
    await assert.rejects(
      as(db, otherReferrer, (trx, ctx) =>
        saveAnswers(trx, ctx, otherDraft.id, { victimNotes: 'lives at 3 Mill Lane' }),
      ),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_answers',
    );
  });
});

describe('referrals: who reads what', () => {
  for (const [who, actor] of [
    ['coordinator', coordinator],
    ['IDVA', idva],
    ['referrer', referrer],
  ] as const) {
    test(`the ${who} reads the safe contact details`, async () => {
      const view = await as(db, actor, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'triage'));
      assert.notEqual(view.safeContact, REDACTED);
      assert.equal(view.safeContact !== null && 'phone' in view.safeContact && view.safeContact.phone, PHONE);
      assert.equal(view.victimAddress, ADDRESS);
      assert.equal(view.narrative, NARRATIVE);
      assert.equal(view.checklist?.answers['q1']?.comment, CHECKLIST_COMMENT);
      assert.deepEqual(
        view.people.map((p) => [p.role, p.givenNames, p.familyName]),
        [
          ['victim', 'Alex', 'Morgan'],
          ['perpetrator', 'Sam', 'Morgan'],
        ],
      );
    });
  }

  for (const [who, actor] of [
    ['chair', chair],
    ['referring agency’s representative', policeRep],
  ] as const) {
    test(`the ${who} sees the referral with the safe contact details redacted`, async () => {
      const view = await as(db, actor, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'meeting_preparation'));
      assert.equal(view.safeContact, REDACTED);
      assert.equal(view.victimAddress, ADDRESS);
      assert.equal(JSON.stringify(view).includes('900123'), false);
    });
  }

  test('the referrer does not see whether the referral repeats an earlier one; the coordinator does', async () => {
    const mine = await as(db, referrer, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'direct_care'));
    assert.equal(mine.repeat, REDACTED);
    const theirs = await as(db, coordinator, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'triage'));
    assert.deepEqual(theirs.repeat, { ofReferralId: null, definitionVersion: 'safelives-2023-1' });
  });

  for (const [who, actor] of [
    ['another area’s coordinator', coordinatorB],
    ['an uninvited agency’s representative', housingRep],
    ['another referrer', otherReferrer],
  ] as const) {
    test(`${who} cannot read the referral, in either layer`, async () => {
      await assert.rejects(
        as(db, actor, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'triage')),
        isNotFound,
      );
      // The application filter left out: row-level security must still hide the referral and its people.
      const raw = await as(db, actor, async (trx) => ({
        referral: await trx.selectFrom('referral').select('id').where('id', '=', submitted.id).execute(),
        events: await trx.selectFrom('referral_event').select('id').where('referral_id', '=', submitted.id).execute(),
        people: await trx.selectFrom('person').select('id').where('family_name', '=', 'Morgan').execute(),
        links: await trx
          .selectFrom('case_person')
          .select('person_id')
          .where('case_id', '=', submitted.caseId)
          .execute(),
      }));
      assert.deepEqual(raw, { referral: [], events: [], people: [], links: [] });
    });
  }

  test('a referrer sees their own referrals and not another referrer’s, in both layers', async () => {
    const ids = await as(db, otherReferrer, async (trx) => ({
      filtered: (await trx.selectFrom('referral').select('id').where(visibleReferrals(otherReferrer)).execute()).map(
        (r) => r.id,
      ),
      unfiltered: (await trx.selectFrom('referral').select('id').execute()).map((r) => r.id),
    }));
    assert.deepEqual(ids, { filtered: [otherDraft.id], unfiltered: [otherDraft.id] });
    const view = await as(db, otherReferrer, (trx, ctx) => readReferral(trx, ctx, otherDraft.id, 'direct_care'));
    assert.equal(view.status, 'draft');
  });

  test('a draft is seen by its referrer only: not yet by the coordinator or the IDVA, in either layer', async () => {
    for (const actor of [coordinator, idva]) {
      await assert.rejects(
        as(db, actor, (trx, ctx) => readReferral(trx, ctx, otherDraft.id, 'triage')),
        isNotFound,
      );
      const raw = await as(db, actor, (trx) =>
        trx.selectFrom('referral').select('id').where('id', '=', otherDraft.id).execute(),
      );
      assert.deepEqual(raw, []);
    }
  });

  test('only a referrer of the area may start a referral', async () => {
    for (const actor of [coordinator, coordinatorB]) {
      await assert.rejects(
        as(db, actor, (trx, ctx) => createDraft(trx, ctx, area.id)),
        isNotFound,
      );
    }
  });

  test('row-level security stops a case being created outside one’s own referral', async () => {
    await assert.rejects(
      as(db, otherReferrer, (trx) => trx.insertInto('marac_case').values({ area_id: area.id }).execute()),
      /row-level security/,
    );
  });
});

describe('referrals: reads are audited', () => {
  test('each read writes a referral.viewed row with the reader, role and purpose, in its transaction', async () => {
    const before = await db
      .selectFrom('audit_event')
      .select('seq')
      .where('action', '=', 'referral.viewed')
      .where('subject_id', '=', submitted.id)
      .execute();
    await as(db, idva, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'safeguarding'));
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'referral.viewed')
      .where('subject_id', '=', submitted.id)
      .orderBy('seq')
      .execute();
    assert.equal(rows.length, before.length + 1);
    const last = rows.at(-1)!;
    assert.equal(last.actor_user_id, idva.userId);
    assert.equal(last.actor_role, 'idva');
    assert.equal(last.purpose, 'safeguarding');
    assert.equal(last.case_id, submitted.caseId);
    assert.equal(last.subject_type, 'referral');
  });

  test('a refused read leaves no view in the audit trail', async () => {
    const count = async () =>
      (
        await db
          .selectFrom('audit_event')
          .select('seq')
          .where('action', '=', 'referral.viewed')
          .where('actor_user_id', '=', coordinatorB.userId)
          .execute()
      ).length;
    await assert.rejects(as(db, coordinatorB, (trx, ctx) => readReferral(trx, ctx, submitted.id, 'triage')));
    assert.equal(await count(), 0);
  });
});
