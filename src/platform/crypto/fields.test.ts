import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase } from '../../../test/harness.ts';
import { makeArea, makeCase, makeUser } from '../../../test/factories.ts';
import { migrate } from '../db/migrator.ts';
import type { Schema } from '../db/schema.ts';
import { withTransaction } from '../db/transaction.ts';
import { loadDataKey } from './data-keys.ts';
import { DataKeyCorruptError, DataKeyShreddedError, FieldDecryptionError, KekMissingError } from './errors.ts';
import { decryptField, encryptField, forCase, withCaseFields, type CaseFields } from './fields.ts';
import { parseKeysSetting } from './keyring.ts';
import type { CryptoTables } from './schema.ts';

const { db, engine } = await createTestDatabase();
await migrate(db);
// A table of the kind features will have: an encrypted column beside ordinary ones.
await sql`create table crypto_note (
  id uuid primary key,
  case_id uuid not null references marac_case (id),
  safe_address text,
  narrative text
)`.execute(db);
const area = await makeArea(db);
const k1 = randomBytes(32).toString('base64');
const keyring = parseKeysSetting(`1:${k1}`);
const keys = db.withTables<CryptoTables>();

const newCase = () => makeCase(db, area.id);
const dataKeyRows = (caseId: string, on: Kysely<Schema> = db) =>
  on.withTables<CryptoTables>().selectFrom('case_data_key').selectAll().where('case_id', '=', caseId).execute();

/** Runs fn with one case's fields in a transaction of its own. */
function inCase<T>(caseId: string, fn: (fields: CaseFields) => Promise<T>, ring = keyring): Promise<T> {
  return db.transaction().execute((trx) => withCaseFields(trx, ring, caseId, fn));
}

function decryptionError(reason: FieldDecryptionError['reason']) {
  return (error: Error) => {
    assert.ok(
      error instanceof FieldDecryptionError,
      `expected FieldDecryptionError, got ${error.name}: ${error.message}`,
    );
    assert.equal(error.reason, reason);
    return true;
  };
}

describe('sealing and opening fields', () => {
  test('round trip: text comes back as sealed, null stays null, each seal differs', async () => {
    const caseId = await newCase();
    const rowId = randomUUID();
    const texts = ['Flat 2, 14 Harbour Row, Leeds LS1 4AB', '', 'Ffôn diogel: 07700 900123 — “ok” 🙂'];
    await inCase(caseId, async (fields) => {
      for (const text of texts) {
        const sealed = await fields.seal('crypto_note', 'safe_address', rowId, text);
        assert.match(sealed, /^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/);
        assert.equal(await fields.open('crypto_note', 'safe_address', rowId, sealed), text);
        // A UUID is the same id in either case.
        assert.equal(await fields.open('crypto_note', 'safe_address', rowId.toUpperCase(), sealed), text);
        assert.notEqual(await fields.seal('crypto_note', 'safe_address', rowId, text), sealed, 'fresh nonce');
      }
      assert.equal(await fields.seal('crypto_note', 'safe_address', rowId, null), null);
      assert.equal(await fields.open('crypto_note', 'safe_address', rowId, null), null);
    });
  });

  test('the one-call functions round-trip, and sealing null creates no data key', async () => {
    const caseId = await newCase();
    const at = { keyring, caseId, table: 'crypto_note', column: 'narrative', rowId: randomUUID() };
    await db.transaction().execute(async (trx) => {
      assert.equal(await encryptField({ trx, ...at, plaintext: null }), null);
      assert.equal((await dataKeyRows(caseId, trx)).length, 0);
    });
    const sealed = await db.transaction().execute((trx) => encryptField({ trx, ...at, plaintext: 'Seen at 9pm' }));
    assert.ok(sealed);
    assert.equal(
      await db.transaction().execute((trx) => decryptField({ trx, ...at, ciphertext: sealed })),
      'Seen at 9pm',
    );
    assert.equal((await dataKeyRows(caseId)).length, 1);
  });

  test('only ciphertext is stored: neither the text nor the data key appears anywhere in the tables', async () => {
    const caseId = await newCase();
    const rowId = randomUUID();
    const address = `Refuge ${randomUUID()}, Hidden Lane`;
    const narrative = `Perpetrator knows the old address; new one ${randomUUID()}`;
    await db.transaction().execute(async (trx) => {
      const fields = forCase(trx, keyring, caseId);
      try {
        await trx
          .withTables<{ crypto_note: { id: string; case_id: string; safe_address: string; narrative: string } }>()
          .insertInto('crypto_note')
          .values({
            id: rowId,
            case_id: caseId,
            safe_address: await fields.seal('crypto_note', 'safe_address', rowId, address),
            narrative: await fields.seal('crypto_note', 'narrative', rowId, narrative),
          })
          .execute();
      } finally {
        fields.close();
      }
    });
    const dataKey = await loadDataKey(db, keyring, caseId);
    assert.ok(dataKey);
    const { rows } = await sql<{ text: string }>`
      select t::text as text from crypto_note t where id = ${rowId}
      union all select k::text from case_data_key k where case_id = ${caseId}`.execute(db);
    assert.equal(rows.length, 2);
    const stored = rows.map((r) => r.text).join('\n');
    const secrets = [address, narrative, 'Hidden Lane', 'Perpetrator'];
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64url')]) {
        assert.ok(!stored.includes(form), 'a plaintext form is stored');
      }
    }
    for (const form of ['hex', 'base64', 'base64url'] as const) {
      assert.ok(!stored.includes(dataKey.key.toString(form)), 'the data key is stored in the clear');
      assert.ok(!stored.includes(Buffer.from(k1, 'base64').toString(form)), 'the KEK is stored');
    }
    dataKey.key.fill(0);
    // And the stored values do open where they are.
    const row = await sql<{ safe_address: string }>`select safe_address from crypto_note where id = ${rowId}`.execute(
      db,
    );
    assert.equal(
      await inCase(caseId, (f) => f.open('crypto_note', 'safe_address', rowId, row.rows[0]!.safe_address)),
      address,
    );
  });
});

describe('a ciphertext decrypts only where it was sealed', () => {
  test('copied to another row, column or table it fails authentication', async () => {
    const caseId = await newCase();
    const rowId = randomUUID();
    await inCase(caseId, async (fields) => {
      const sealed = await fields.seal('crypto_note', 'safe_address', rowId, '1 Safe Street');
      await assert.rejects(
        fields.open('crypto_note', 'safe_address', randomUUID(), sealed),
        decryptionError('authentication'),
      );
      await assert.rejects(fields.open('crypto_note', 'narrative', rowId, sealed), decryptionError('authentication'));
      await assert.rejects(
        fields.open('crypto_other', 'safe_address', rowId, sealed),
        decryptionError('authentication'),
      );
    });
  });

  test('copied to another case it fails, naming why, even with the key id forged', async () => {
    const [from, to, keyless] = [await newCase(), await newCase(), await newCase()];
    const rowId = randomUUID();
    const sealed = await inCase(from, (f) => f.seal('crypto_note', 'safe_address', rowId, '1 Safe Street'));
    const ownSeal = await inCase(to, (f) => f.seal('crypto_note', 'narrative', rowId, 'other text'));
    await inCase(to, async (fields) => {
      await assert.rejects(fields.open('crypto_note', 'safe_address', rowId, sealed), decryptionError('wrong_key'));
      const forged = sealed.replace(/^v1\.[^.]+\./, ownSeal.slice(0, 15));
      assert.notEqual(forged, sealed);
      await assert.rejects(
        fields.open('crypto_note', 'safe_address', rowId, forged),
        decryptionError('authentication'),
      );
    });
    await assert.rejects(
      inCase(keyless, (f) => f.open('crypto_note', 'safe_address', rowId, sealed)),
      (error: Error) => error instanceof DataKeyShreddedError && error.message.includes(keyless),
    );
    assert.equal(await inCase(from, (f) => f.open('crypto_note', 'safe_address', rowId, sealed)), '1 Safe Street');
  });

  test('changing any character, truncating or extending it fails', async () => {
    const caseId = await newCase();
    const rowId = randomUUID();
    await inCase(caseId, async (fields) => {
      const sealed = await fields.seal('crypto_note', 'narrative', rowId, 'Threats made on 3 March');
      const variants = [sealed.slice(0, -1), sealed.slice(0, -4), `${sealed}A`, sealed.replace('v1.', 'v2.'), ''];
      for (let i = 0; i < sealed.length; i++) {
        const swap = sealed[i] === 'A' ? 'B' : 'A';
        variants.push(sealed.slice(0, i) + swap + sealed.slice(i + 1));
      }
      for (const variant of variants) {
        await assert.rejects(
          fields.open('crypto_note', 'narrative', rowId, variant),
          (error: Error) => error instanceof FieldDecryptionError,
          `accepted ${variant}`,
        );
      }
      assert.equal(await fields.open('crypto_note', 'narrative', rowId, sealed), 'Threats made on 3 March');
    });
  });

  test('a wrapped data key copied to another case does not unwrap', async () => {
    const [a, b] = [await newCase(), await newCase()];
    await inCase(a, (f) => f.seal('crypto_note', 'narrative', a, 'x'));
    const sealedB = await inCase(b, (f) => f.seal('crypto_note', 'narrative', b, 'y'));
    const [rowA] = await dataKeyRows(a);
    await keys.updateTable('case_data_key').set({ wrapped_key: rowA!.wrapped_key }).where('case_id', '=', b).execute();
    await assert.rejects(
      inCase(b, (f) => f.open('crypto_note', 'narrative', b, sealedB)),
      (error: Error) => error instanceof DataKeyCorruptError && error.message.includes(b),
    );
  });
});

describe('data keys', () => {
  test('concurrent first seals of one case create one data key, and every seal opens with it', async () => {
    const caseId = await newCase();
    const callers = 8;
    // On a server the transactions really overlap (the barrier makes all of
    // them start before any seals); PGlite runs them one after another.
    let started = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    const sealed = await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          if (engine === 'postgres') {
            if (++started === callers) release();
            await allStarted;
          }
          return withCaseFields(trx, keyring, caseId, (f) => f.seal('crypto_note', 'narrative', caseId, `text ${i}`));
        }),
      ),
    );
    assert.equal((await dataKeyRows(caseId)).length, 1);
    await inCase(caseId, async (fields) => {
      for (const [i, value] of sealed.entries()) {
        assert.equal(await fields.open('crypto_note', 'narrative', caseId, value), `text ${i}`);
      }
    });
  });

  test('a seal racing an uncommitted data key waits for it and uses it', async () => {
    const caseId = await newCase();
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstSealed!: () => void;
    const firstHasSealed = new Promise<void>((resolve) => (firstSealed = resolve));
    const first = db.transaction().execute(async (trx) => {
      const value = await withCaseFields(trx, keyring, caseId, (f) =>
        f.seal('crypto_note', 'narrative', caseId, 'one'),
      );
      firstSealed();
      await firstMayCommit;
      return value;
    });
    await firstHasSealed;
    const second = db
      .transaction()
      .execute((trx) => withCaseFields(trx, keyring, caseId, (f) => f.seal('crypto_note', 'narrative', caseId, 'two')));
    if (engine === 'pglite') {
      // PGlite is one session: the second transaction cannot even begin until the first ends.
      let settled = false;
      void second.then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(settled, false, 'the second seal waited for the first transaction');
    }
    // On a server, wait until the second transaction's insert is blocked on the first's uncommitted row.
    for (let waiting = engine === 'pglite' ? 1 : 0, tries = 0; waiting === 0; tries++) {
      assert.ok(tries < 250, 'the second seal never waited for the first');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
      waiting = rows[0]!.n;
    }
    commitFirst();
    const [one, two] = await Promise.all([first, second]);
    assert.equal((await dataKeyRows(caseId)).length, 1);
    await inCase(caseId, async (fields) => {
      assert.equal(await fields.open('crypto_note', 'narrative', caseId, one), 'one');
      assert.equal(await fields.open('crypto_note', 'narrative', caseId, two), 'two');
    });
  });

  test('a keyring without the data key’s KEK version gives a clear error naming it', async () => {
    const caseId = await newCase();
    const sealed = await inCase(caseId, (f) => f.seal('crypto_note', 'narrative', caseId, 'x'));
    const other = parseKeysSetting(`2:${randomBytes(32).toString('base64')}`);
    await assert.rejects(
      inCase(caseId, (f) => f.open('crypto_note', 'narrative', caseId, sealed), other),
      (e: Error) => {
        assert.ok(e instanceof KekMissingError);
        assert.equal(e.kekVersion, 1);
        assert.match(e.message, /KEK version 1 is not in the keyring \(it holds 2\).*MARAC_KEYS or MARAC_KEY_FILE/);
        return true;
      },
    );
  });

  test('the wrong key under the right version number does not unwrap', async () => {
    const caseId = await newCase();
    const sealed = await inCase(caseId, (f) => f.seal('crypto_note', 'narrative', caseId, 'x'));
    const impostor = parseKeysSetting(`1:${randomBytes(32).toString('base64')}`);
    await assert.rejects(
      inCase(caseId, (f) => f.open('crypto_note', 'narrative', caseId, sealed), impostor),
      DataKeyCorruptError,
    );
  });
});

describe('access and misuse', () => {
  test('row-level security: the area coordinator seals and opens, a coordinator elsewhere can do neither', async () => {
    const caseId = await newCase();
    const coordinator = await makeUser(db, { roles: [{ areaId: area.id, role: 'coordinator' }] });
    const elsewhere = await makeUser(db, { roles: [{ areaId: (await makeArea(db)).id, role: 'coordinator' }] });
    const as = <T>(actorId: string, fn: (fields: CaseFields) => Promise<T>) =>
      withTransaction(db, { requestId: randomUUID(), actorId }, (trx) => withCaseFields(trx, keyring, caseId, fn));

    await assert.rejects(
      as(elsewhere.userId, (f) => f.seal('crypto_note', 'narrative', caseId, 'x')),
      /row-level security/,
    );
    assert.equal((await dataKeyRows(caseId)).length, 0);
    const sealed = await as(coordinator.userId, (f) =>
      f.seal('crypto_note', 'narrative', caseId, 'for the coordinator'),
    );
    assert.equal(
      await as(coordinator.userId, (f) => f.open('crypto_note', 'narrative', caseId, sealed)),
      'for the coordinator',
    );
    await assert.rejects(
      as(elsewhere.userId, (f) => f.open('crypto_note', 'narrative', caseId, sealed)),
      DataKeyShreddedError,
    );
  });

  test('names, ids and text are checked before anything is sealed', async () => {
    const caseId = await newCase();
    assert.throws(() => forCase(db, keyring, 'not-a-uuid'), TypeError);
    await inCase(caseId, async (fields) => {
      await assert.rejects(fields.seal('Crypto Note', 'narrative', caseId, 'x'), /table must be a table name/);
      await assert.rejects(fields.seal('crypto_note', 'narrative; drop', caseId, 'x'), /column must be a column name/);
      await assert.rejects(fields.seal('crypto_note', 'narrative', 'Jane Smith', 'x'), /rowId must be an id/);
      await assert.rejects(fields.seal('crypto_note', 'narrative', caseId, 'half a pair \uD800'), /well-formed text/);
    });
    assert.equal((await dataKeyRows(caseId)).length, 0);
  });

  test('closed fields cannot be used, and withCaseFields closes even when its function throws', async () => {
    const caseId = await newCase();
    let kept: CaseFields | undefined;
    await assert.rejects(
      inCase(caseId, async (fields) => {
        kept = fields;
        await fields.seal('crypto_note', 'narrative', caseId, 'x');
        throw new Error('the feature failed');
      }),
      /the feature failed/,
    );
    await db.transaction().execute(async () => {
      await assert.rejects(kept!.seal('crypto_note', 'narrative', caseId, 'x'), /were closed/);
    });
  });
});
