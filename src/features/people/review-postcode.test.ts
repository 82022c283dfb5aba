import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { createDraft, saveAnswers } from '../referrals/drafts.ts';
import { addPerson, casePeople } from '../referrals/people.ts';
import { NATIONAL_DEFAULTS } from '../referrals/rules/settings.ts';
import { submit } from '../referrals/submit.ts';
import { as, checklistWith, keyring, newKey } from '../referrals/testing.ts';
import { postcodeKeyFor } from './postcodes.ts';
import { personToMatch, reviewPeople } from './review.ts';

const { db } = await createTestDatabase();
await migrate(db);
const area = await makeArea(db);
const gp = await makeAgency(db, area.id, 'primary_care');
const referrer = await makeUser(db, { agencyId: gp.id, roles: [{ areaId: area.id, role: 'referrer' }] });
const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });

type P = { givenNames: string; familyName: string; dateOfBirth: string };
/** A submitted referral naming the victim, at the address given (none when null). */
async function referral(actor: Actor, victim: P, address: string | null) {
  return as(db, actor, async (trx, ctx) => {
    const draft = await createDraft(trx, ctx, area.id);
    await saveAnswers(trx, ctx, draft.id, {
      checklist: checklistWith(15),
      recentIncidents: 0,
      inRefuge: false,
      victimAddress: address,
    });
    const victimId = await addPerson(trx, ctx, draft.id, { role: 'victim', ...victim });
    await submit(trx, ctx, draft.id, newKey(), NATIONAL_DEFAULTS);
    return { id: draft.id, area_id: area.id, case_id: draft.caseId, victimId };
  });
}

const stored = (personId: string) =>
  db
    .selectFrom('person')
    .select(['postcode_outcode', 'postcode_key'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();

async function victimReview(row: { id: string; area_id: string; case_id: string }) {
  const reviews = await as(db, coordinator, (trx, ctx) => reviewPeople(trx, ctx.actor, row));
  return reviews.find((r) => r.person.role === 'victim')!;
}

const earlier = await referral(
  referrer,
  { givenNames: 'Jonathan', familyName: 'Smith', dateOfBirth: '1985-03-04' },
  '14 Acacia Avenue, Leeds LS6 2AB',
);

describe("the coordinator's review passes the person's postcode to the matcher", () => {
  test('two people at one postcode are compared with the same key and their outward codes', async () => {
    const latest = await referral(
      referrer,
      { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' },
      'Flat 1, 14 Acacia Avenue, ls6 2ab',
    );
    const mine = await stored(latest.victimId);
    const theirs = await stored(earlier.victimId);
    assert.equal(mine.postcode_key, postcodeKeyFor(keyring, 'LS6 2AB'));
    assert.equal(mine.postcode_key, theirs.postcode_key, 'one postcode, one key');
    // What review.ts passes for her: her stored outward code and key.
    const [person] = await as(db, coordinator, (trx) => casePeople(trx, latest.case_id));
    assert.deepEqual(personToMatch(person!, mine), {
      givenNames: 'Jon',
      familyName: 'Smyth',
      aliases: [],
      dateOfBirth: '1985-04-03',
      postcode: 'LS6',
      postcodeKey: theirs.postcode_key,
      birthYearEstimate: null,
    });
    // And the matcher compared the keys: the same postcode is the same address.
    const review = await victimReview(latest);
    const candidate = review.candidates.find((c) => c.personId === earlier.victimId);
    assert.ok(candidate, 'Jonathan Smith is offered');
    const address = candidate.evidence.find((e) => e.field === 'address');
    assert.equal(address?.level, 'exact');
    assert.doesNotMatch(JSON.stringify(review), /LS6\s*2AB/i, 'the review holds no full postcode');
  });

  test('a person without an address is matched without one', async () => {
    const latest = await referral(
      referrer,
      { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' },
      null,
    );
    const mine = await stored(latest.victimId);
    assert.deepEqual(mine, { postcode_outcode: null, postcode_key: null });
    const [person] = await as(db, coordinator, (trx) => casePeople(trx, latest.case_id));
    const query = personToMatch(person!, mine);
    assert.equal(query.postcode, null);
    assert.equal(query.postcodeKey, null);
    const review = await victimReview(latest);
    const candidate = review.candidates.find((c) => c.personId === earlier.victimId);
    assert.ok(candidate, 'still offered on names and date of birth');
    assert.equal(candidate.evidence.find((e) => e.field === 'address')?.level, 'missing');
  });

  test('another postcode has another key', async () => {
    const latest = await referral(
      referrer,
      { givenNames: 'Jon', familyName: 'Smyth', dateOfBirth: '1985-04-03' },
      '2 Mill Lane, Manchester M1 1AE',
    );
    const mine = await stored(latest.victimId);
    assert.ok(mine.postcode_key);
    assert.notEqual(mine.postcode_key, (await stored(earlier.victimId)).postcode_key);
    const review = await victimReview(latest);
    const candidate = review.candidates.find((c) => c.personId === earlier.victimId);
    assert.equal(candidate?.evidence.find((e) => e.field === 'address')?.level, 'different');
  });
});

describe('the person being matched: an approximate age', () => {
  const person = {
    id: '00000000-0000-4000-8000-000000000001',
    role: 'victim' as const,
    givenNames: 'Ana',
    familyName: 'Brook',
    aliases: [],
    dateOfBirth: null,
    relationship: null,
    attributes: { approximateAge: 40 },
  };
  const stored = { postcode_outcode: null, postcode_key: null, created_at: new Date('2026-05-01T10:00:00Z') };

  test('gives the year of birth it implies when there is no date of birth', () => {
    assert.equal(personToMatch(person, stored).birthYearEstimate, 1986);
  });

  test('is not read when there is a date of birth, or no age', () => {
    assert.equal(personToMatch({ ...person, dateOfBirth: '1990-01-01' }, stored).birthYearEstimate, null);
    assert.equal(personToMatch({ ...person, attributes: {} }, stored).birthYearEstimate, null);
  });
});
