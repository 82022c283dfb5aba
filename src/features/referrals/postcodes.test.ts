import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { postcodeKeyFor } from '../people/postcodes.ts';
import { createDraft, saveAnswers } from './drafts.ts';
import { addPerson, updatePerson } from './people.ts';
import { NATIONAL_DEFAULTS } from './rules/settings.ts';
import { submit } from './submit.ts';
import { as, checklistWith, keyring, newKey } from './testing.ts';

const { db } = await createTestDatabase();
await migrate(db);

const area = await makeArea(db, 'Postcode Vale MARAC');
const police = await makeAgency(db, area.id, 'police');
const referrer = await makeUser(db, { agencyId: police.id, roles: [{ areaId: area.id, role: 'referrer' }] });

const ADDRESS = 'Flat 2, 14 Acacia Avenue, Leeds LS6 2AB';
const victim = { role: 'victim', givenNames: 'Nell', familyName: 'Ashdown', dateOfBirth: '1991-05-06' } as const;
const perpetrator = {
  role: 'perpetrator',
  givenNames: 'Rob',
  familyName: 'Ashdown',
  dateOfBirth: '1989-01-02',
} as const;

const save = (id: string, answers: Record<string, unknown>) =>
  as(db, referrer, (trx, ctx) => saveAnswers(trx, ctx, id, answers));

async function personRow(caseId: string, role: 'victim' | 'perpetrator') {
  return db
    .selectFrom('person')
    .innerJoin('case_person', 'case_person.person_id', 'person.id')
    .selectAll('person')
    .where('case_person.case_id', '=', caseId)
    .where('case_person.role', '=', role)
    .executeTakeFirstOrThrow();
}

/** The postcode in any of the forms a row might hold it: spaced or not, any case. */
function holdsPostcode(row: object, postcode: string): boolean {
  const text = JSON.stringify(row).toUpperCase();
  const compact = postcode.toUpperCase().replace(/\s+/g, '');
  return text.includes(compact) || text.includes(postcode.toUpperCase());
}

describe("the victim's postcode key", () => {
  test('a submitted referral whose victim address has a postcode stores her key, never the postcode', async () => {
    const { id, caseId } = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await saveAnswers(trx, ctx, draft.id, {
        checklist: checklistWith(15),
        recentIncidents: 0,
        inRefuge: false,
        victimAddress: ADDRESS,
      });
      await addPerson(trx, ctx, draft.id, victim);
      await addPerson(trx, ctx, draft.id, perpetrator);
      await submit(trx, ctx, draft.id, newKey(), NATIONAL_DEFAULTS);
      return draft;
    });
    assert.equal(
      (await db.selectFrom('referral').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'submitted',
    );
    const row = await personRow(caseId, 'victim');
    assert.ok(row.postcode_key, 'a postcode key');
    assert.equal(row.postcode_key, postcodeKeyFor(keyring, 'LS6 2AB'));
    assert.equal(row.postcode_outcode, 'LS6');
    assert.equal(holdsPostcode(row, 'LS6 2AB'), false, 'the row does not hold the postcode');
    // The perpetrator gave no address: no key.
    const theirs = await personRow(caseId, 'perpetrator');
    assert.equal(theirs.postcode_key, null);
    assert.equal(theirs.postcode_outcode, null);
  });

  test('follows her address on the draft: added after her, changed, removed', async () => {
    const { id, caseId } = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await addPerson(trx, ctx, draft.id, victim);
      return draft;
    });
    assert.equal((await personRow(caseId, 'victim')).postcode_key, null, 'no address yet');
    await save(id, { victimAddress: 'ls62ab' });
    assert.equal((await personRow(caseId, 'victim')).postcode_key, postcodeKeyFor(keyring, 'LS6 2AB'));
    await save(id, { victimAddress: '9 Oak Lane, Manchester M1 1AE' });
    const moved = await personRow(caseId, 'victim');
    assert.equal(moved.postcode_key, postcodeKeyFor(keyring, 'M1 1AE'));
    assert.equal(moved.postcode_outcode, 'M1');
    assert.equal(holdsPostcode(moved, 'M1 1AE'), false);
    // Other answers leave it alone.
    await save(id, { narrative: 'Threats after separation', recentIncidents: 2 });
    assert.equal((await personRow(caseId, 'victim')).postcode_key, moved.postcode_key);
    await save(id, { victimAddress: null });
    const cleared = await personRow(caseId, 'victim');
    assert.equal(cleared.postcode_key, null);
    assert.equal(cleared.postcode_outcode, null);
  });

  test('an address without a postcode gives no key', async () => {
    const { id, caseId } = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await addPerson(trx, ctx, draft.id, victim);
      return draft;
    });
    await save(id, { victimAddress: ADDRESS });
    await save(id, { victimAddress: 'Flat 2, 14 Acacia Avenue, Leeds' });
    const row = await personRow(caseId, 'victim');
    assert.equal(row.postcode_key, null);
    assert.equal(row.postcode_outcode, null);
  });

  test('is cleared when she is marked in a refuge, and back when she is not', async () => {
    const { id, caseId } = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await saveAnswers(trx, ctx, draft.id, { inRefuge: false, victimAddress: ADDRESS });
      await addPerson(trx, ctx, draft.id, victim);
      return draft;
    });
    assert.ok((await personRow(caseId, 'victim')).postcode_key);
    await save(id, { inRefuge: true });
    const refuge = await personRow(caseId, 'victim');
    assert.equal(refuge.postcode_key, null);
    assert.equal(refuge.postcode_outcode, null);
    // Changing her name and date of birth keeps it cleared while she is in the refuge.
    await as(db, referrer, (trx, ctx) => updatePerson(trx, ctx, id, refuge.id, { ...victim, givenNames: 'Nella' }));
    assert.equal((await personRow(caseId, 'victim')).postcode_key, null);
    await save(id, { inRefuge: false });
    assert.equal((await personRow(caseId, 'victim')).postcode_key, postcodeKeyFor(keyring, 'LS6 2AB'));
  });

  test("a perpetrator's own address gives his key; removing it clears it", async () => {
    const { id, caseId } = await as(db, referrer, async (trx, ctx) => {
      const draft = await createDraft(trx, ctx, area.id);
      await addPerson(trx, ctx, draft.id, victim);
      await addPerson(trx, ctx, draft.id, { ...perpetrator, details: { address: '3 Elm Road, Bradford BD1 1AA' } });
      return draft;
    });
    const his = await personRow(caseId, 'perpetrator');
    assert.equal(his.postcode_key, postcodeKeyFor(keyring, 'BD1 1AA'));
    assert.equal(holdsPostcode(his, 'BD1 1AA'), false);
    assert.equal((await personRow(caseId, 'victim')).postcode_key, null, "the victim's comes from her own address");
    await as(db, referrer, (trx, ctx) => updatePerson(trx, ctx, id, his.id, { ...perpetrator, details: {} }));
    assert.equal((await personRow(caseId, 'perpetrator')).postcode_key, null);
  });
});
