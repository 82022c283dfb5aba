import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeArea, makeCase, makeUser } from '../../../test/factories.ts';
import { migrate } from '../db/migrator.ts';
import { withTransaction } from '../db/transaction.ts';
import { DataKeyShreddedError, FieldDecryptionError, KekMissingError } from './errors.ts';
import { withCaseFields } from './fields.ts';
import { parseKeysSetting, type Keyring } from './keyring.ts';
import { rotateKeys, shredCase } from './rotate.ts';
import type { CryptoTables } from './schema.ts';

const { db } = await createTestDatabase();
await migrate(db);
const area = await makeArea(db);
const [k1, k2, k3] = [1, 2, 3].map(() => randomBytes(32).toString('base64'));
const only1 = parseKeysSetting(`1:${k1}`);
const upTo2 = parseKeysSetting(`1:${k1},2:${k2}`);
const only2 = parseKeysSetting(`2:${k2}`);
const keys = db.withTables<CryptoTables>();

const allKeys = () => keys.selectFrom('case_data_key').selectAll().orderBy('case_id').execute();
const seal = (keyring: Keyring, caseId: string, text: string) =>
  db
    .transaction()
    .execute((trx) => withCaseFields(trx, keyring, caseId, (f) => f.seal('person', 'safe_address', caseId, text)));
const open = (keyring: Keyring, caseId: string, sealed: string) =>
  db
    .transaction()
    .execute((trx) => withCaseFields(trx, keyring, caseId, (f) => f.open('person', 'safe_address', caseId, sealed)));

/** Cases each with one sealed field: [caseId, ciphertext, plaintext]. */
async function casesWithFields(keyring: Keyring, count: number) {
  const made: { caseId: string; sealed: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const caseId = await makeCase(db, area.id);
    const text = `${i} Safe Street ${randomUUID()}`;
    made.push({ caseId, text, sealed: await seal(keyring, caseId, text) });
  }
  return made;
}

describe('rotateKeys', () => {
  test('re-wraps every data key under the newest KEK in batches; fields still open, and the old KEK can go', async () => {
    const made = await casesWithFields(only1, 5);
    const before = await allKeys();
    assert.ok(before.every((row) => row.kek_version === 1 && row.rotated_at === null));

    const result = await rotateKeys(db, upTo2, { batchSize: 2 });
    assert.deepEqual(result, { currentVersion: 2, rewrapped: 5, alreadyCurrent: 0, batches: 3 });

    const afterwards = await allKeys();
    assert.equal(afterwards.length, 5);
    for (const [i, row] of afterwards.entries()) {
      assert.equal(row.kek_version, 2);
      assert.ok(row.rotated_at instanceof Date);
      assert.notEqual(row.wrapped_key, before[i]!.wrapped_key);
      assert.equal(row.created_at.getTime(), before[i]!.created_at.getTime());
    }
    // The fields were not touched, and open with version 2 alone.
    for (const { caseId, sealed, text } of made) assert.equal(await open(only2, caseId, sealed), text);
    await assert.rejects(open(only1, made[0]!.caseId, made[0]!.sealed), (e: Error) => {
      assert.ok(e instanceof KekMissingError);
      assert.match(e.message, /KEK version 2 is not in the keyring \(it holds 1\)/);
      return true;
    });
  });

  test('is idempotent, and new data keys are wrapped by the newest KEK', async () => {
    const total = (await allKeys()).length;
    assert.deepEqual(await rotateKeys(db, upTo2), {
      currentVersion: 2,
      rewrapped: 0,
      alreadyCurrent: total,
      batches: 0,
    });
    const [fresh] = await casesWithFields(upTo2, 1);
    const [row] = await keys.selectFrom('case_data_key').selectAll().where('case_id', '=', fresh!.caseId).execute();
    assert.equal(row?.kek_version, 2);
    assert.equal(row?.rotated_at, null);
  });

  test('without an older KEK it stops with a clear error and changes nothing', async () => {
    // A server still on the old keyring made a key under version 1 meanwhile,
    // for a case that sorts last, so the batch re-wraps others before failing.
    const lastId = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    await db.insertInto('marac_case').values({ id: lastId, area_id: area.id }).execute();
    const lagging = { caseId: lastId, text: 'Lagging', sealed: await seal(only1, lastId, 'Lagging') };
    const missing1 = parseKeysSetting(`2:${k2},3:${k3}`);
    const before = await allKeys();
    await assert.rejects(rotateKeys(db, missing1, { batchSize: 1000 }), (e: Error) => {
      assert.ok(e instanceof KekMissingError);
      assert.equal(e.kekVersion, 1);
      return true;
    });
    // Version-2 keys in the same batch were rolled back with it.
    assert.deepEqual(await allKeys(), before);

    const all3 = parseKeysSetting(`1:${k1},2:${k2},3:${k3}`);
    const result = await rotateKeys(db, all3, { batchSize: 1000 });
    assert.equal(result.rewrapped, before.length);
    assert.equal(result.batches, 1);
    assert.ok((await allKeys()).every((row) => row.kek_version === 3));
    assert.equal(await open(parseKeysSetting(`3:${k3}`), lagging.caseId, lagging.sealed), lagging.text);
  });

  test('a keyring older than the database is refused rather than rotating backwards', async () => {
    const before = await allKeys();
    await assert.rejects(rotateKeys(db, upTo2), (e: Error) => e instanceof KekMissingError && e.kekVersion === 3);
    assert.deepEqual(await allKeys(), before);
  });

  test('refuses to run where row-level security hides data keys', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`set local role marac_app`.execute(trx);
      await assert.rejects(rotateKeys(trx, upTo2), /row-level security applies .*owner's connection/);
    });
    await assert.rejects(rotateKeys(db, upTo2, { batchSize: 0 }), RangeError);
  });
});

describe('shredCase', () => {
  const ring = parseKeysSetting(`3:${k3}`);

  test("makes every field of the case undecryptable and leaves other cases' alone", async () => {
    const [victim, other] = await casesWithFields(ring, 2);
    const second = await seal(ring, victim!.caseId, 'Second address');
    assert.equal(await db.transaction().execute((trx) => shredCase(trx, victim!.caseId)), true);
    for (const sealed of [victim!.sealed, second]) {
      await assert.rejects(open(ring, victim!.caseId, sealed), (e: Error) => {
        assert.ok(e instanceof DataKeyShreddedError);
        assert.equal(e.caseId, victim!.caseId);
        assert.match(e.message, /has no data key: its encrypted fields were shredded/);
        return true;
      });
    }
    assert.equal(await open(ring, other!.caseId, other!.sealed), other!.text);
    assert.equal(await db.transaction().execute((trx) => shredCase(trx, victim!.caseId)), false, 'already gone');

    // New data for the case gets a new key; the shredded values stay unreadable.
    const later = await seal(ring, victim!.caseId, 'Written after shredding');
    assert.equal(await open(ring, victim!.caseId, later), 'Written after shredding');
    await assert.rejects(
      open(ring, victim!.caseId, victim!.sealed),
      (e: Error) => e instanceof FieldDecryptionError && e.reason === 'wrong_key',
    );
  });

  test('deleting a case deletes its data key', async () => {
    const [gone] = await casesWithFields(ring, 1);
    await db.deleteFrom('marac_case').where('id', '=', gone!.caseId).execute();
    assert.equal(
      (await keys.selectFrom('case_data_key').where('case_id', '=', gone!.caseId).selectAll().execute()).length,
      0,
    );
  });

  test('the application can shred only a case it can see', async () => {
    const [kept] = await casesWithFields(ring, 1);
    const elsewhere = await makeUser(db, { roles: [{ areaId: (await makeArea(db)).id, role: 'coordinator' }] });
    const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
    const as = (actorId: string) =>
      withTransaction(db, { requestId: randomUUID(), actorId }, (trx) => shredCase(trx, kept!.caseId));
    assert.equal(await as(elsewhere.userId), false);
    assert.equal(await open(ring, kept!.caseId, kept!.sealed), kept!.text);
    assert.equal(await as(coordinator.userId), true);
    await assert.rejects(open(ring, kept!.caseId, kept!.sealed), DataKeyShreddedError);
  });
});
