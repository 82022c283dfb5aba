import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, describe, test } from 'node:test';
import { associatedData } from './aead.ts';
import { KekMissingError, KeyringError } from './errors.ts';
import {
  developmentKeyring,
  generateKeyFileContents,
  keyFileHasIndexKey,
  keyringFromSettings,
  parseKeyFile,
  parseKeysSetting,
  readKeyFile,
  type Keyring,
} from './keyring.ts';

const key = () => randomBytes(32).toString('base64');
const folder = mkdtempSync(join(tmpdir(), 'marac-keyring-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** True when `b` can unwrap what `a` wraps under a's current version. */
function sameCurrentKey(a: Keyring, b: Keyring): boolean {
  const secret = randomBytes(32);
  const aad = associatedData(['test']);
  const opened = b.unwrap(a.currentVersion, a.wrap(secret, aad), aad);
  return opened !== null && opened.equals(secret);
}

function rejects(fn: () => unknown, ...patterns: RegExp[]) {
  assert.throws(fn, (error: Error) => {
    assert.ok(error instanceof KeyringError, `expected a KeyringError, got ${error.name}: ${error.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('MARAC_KEYS', () => {
  test('holds versioned keys; the highest version is current', () => {
    const keyring = parseKeysSetting(` 2:${key()}, 1:${key()}, 10:${randomBytes(32).toString('base64url')},`);
    assert.equal(keyring.currentVersion, 10);
    assert.deepEqual(keyring.versions, [1, 2, 10]);
  });

  test('wraps under the current version and unwraps each version it holds, and no other', () => {
    const one = key();
    const old = parseKeysSetting(`1:${one}`);
    const both = parseKeysSetting(`1:${one},2:${key()}`);
    assert.ok(sameCurrentKey(old, both));
    assert.throws(() => old.unwrap(2, 'v1.x.y', associatedData([])), KekMissingError);
    const aad = associatedData(['a']);
    const wrapped = both.wrap(randomBytes(32), aad);
    assert.match(wrapped, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{64}$/);
    assert.equal(both.unwrap(1, wrapped, aad), null, 'wrapped by version 2, not 1');
    assert.equal(both.unwrap(2, wrapped, associatedData(['b'])), null, 'other additional data');
    assert.equal(both.unwrap(2, 'not wrapped', aad), null);
  });

  test('a wrong length, bad base64, a duplicate version, a bad version or a reused key is refused, naming the setting', () => {
    rejects(
      () => parseKeysSetting(`1:${randomBytes(16).toString('base64')}`),
      /^MARAC_KEYS: version 1: the key is 16 bytes/,
    );
    rejects(() => parseKeysSetting('1:not*base64!'), /^MARAC_KEYS: version 1: the key is not valid base64/);
    rejects(() => parseKeysSetting(`1:${key()},1:${key()}`), /^MARAC_KEYS: version 1 appears more than once/);
    rejects(() => parseKeysSetting(`0:${key()}`), /^MARAC_KEYS: "0" is not a key version/);
    rejects(() => parseKeysSetting(`v2:${key()}`), /^MARAC_KEYS: "v2" is not a key version/);
    rejects(() => parseKeysSetting(key()), /^MARAC_KEYS: each entry must be <version>:<base64 key>/);
    rejects(() => parseKeysSetting(' , '), /^MARAC_KEYS: holds no keys/);
    const same = key();
    rejects(() => parseKeysSetting(`1:${same},2:${same}`), /^MARAC_KEYS: versions 1 and 2 hold the same key/);
    rejects(() => parseKeysSetting(`1:${Buffer.alloc(32).toString('base64')}`), /placeholder/);
  });

  test('a key never appears in an error, in JSON or when inspected', () => {
    const secret = key();
    const keyring = parseKeysSetting(`3:${secret}`);
    for (const text of [JSON.stringify(keyring), inspect(keyring, { depth: 10, showHidden: true })]) {
      assert.ok(!text.includes(secret));
      assert.ok(!text.includes(Buffer.from(secret, 'base64').toString('hex')));
    }
    const short = randomBytes(31).toString('base64');
    assert.throws(
      () => parseKeysSetting(`1:${short}`),
      (e: Error) => !e.message.includes(short),
    );
  });
});

describe('MARAC_KEY_FILE', () => {
  test('a JSON key file gives the same keyring as the same keys in MARAC_KEYS', () => {
    const [one, two] = [key(), key()];
    const path = join(folder, 'keys-ok.json');
    writeFileSync(path, JSON.stringify({ keys: { '1': one, '2': two } }));
    const fromFile = keyringFromSettings({ MARAC_KEY_FILE: path });
    assert.ok(fromFile);
    assert.equal(fromFile.currentVersion, 2);
    assert.ok(sameCurrentKey(fromFile, parseKeysSetting(`1:${one},2:${two}`)));
  });

  test('errors name the setting and the file', () => {
    const missing = join(folder, 'absent.json');
    rejects(() => readKeyFile(missing), /^MARAC_KEY_FILE: cannot read .*absent\.json \(ENOENT\)/);
    const source = 'MARAC_KEY_FILE (/etc/marac/keys.json)';
    rejects(() => parseKeyFile('{"keys": ', source), /^MARAC_KEY_FILE \(\/etc\/marac\/keys\.json\): not valid JSON/);
    rejects(() => parseKeyFile('{"1": "x"}', source), /^MARAC_KEY_FILE .*must hold \{"keys"/);
    rejects(() => parseKeyFile('{"keys": {"1": 5}}', source), /^MARAC_KEY_FILE .*version 1: the key must be a string/);
    rejects(
      () => parseKeyFile(`{"keys": {"1": "${key()}", "1": "${key()}"}}`, source),
      /^MARAC_KEY_FILE .*version 1 appears more than once/,
    );
    rejects(() => parseKeyFile(`{"keys": {"1": "${randomBytes(24).toString('base64')}"}}`, source), /24 bytes/);
    rejects(() => parseKeyFile('{"keys": {}}', source), /^MARAC_KEY_FILE .*holds no keys/);
  });

  test('neither setting means no keyring; both at once is refused', () => {
    assert.equal(keyringFromSettings({}), null);
    assert.equal(keyringFromSettings({ MARAC_KEYS: '', MARAC_KEY_FILE: ' ' }), null);
    rejects(
      () => keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_KEY_FILE: 'k.json' }),
      /^MARAC_KEYS, MARAC_KEY_FILE/,
    );
  });

  test('generateKeyFileContents starts at version 1 and adds the next version, keeping the others', () => {
    const first = generateKeyFileContents();
    const second = generateKeyFileContents(first);
    const a = parseKeyFile(first, 'first');
    const b = parseKeyFile(second, 'second');
    assert.deepEqual(a.versions, [1]);
    assert.deepEqual(b.versions, [1, 2]);
    const aad = associatedData(['x']);
    const secret = randomBytes(32);
    assert.ok(b.unwrap(1, a.wrap(secret, aad), aad)?.equals(secret), 'version 1 kept');
    assert.equal(a.unwrap(1, b.wrap(secret, aad), aad), null, 'version 2 is a new key');
  });
});

describe('the development key file', () => {
  test('is created with mode 0600 on first use and reused afterwards', () => {
    const dataDir = join(folder, 'pglite');
    const first = developmentKeyring(dataDir);
    const path = join(dataDir, 'keys.json');
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    const text = readFileSync(path, 'utf8');
    const second = developmentKeyring(dataDir);
    assert.equal(readFileSync(path, 'utf8'), text, 'not rewritten');
    assert.ok(sameCurrentKey(first, second));
    assert.deepEqual(readdirSync(dataDir), ['keys.json'], 'no temporary file left behind');
    assert.ok(!sameCurrentKey(first, developmentKeyring(join(folder, 'other'))), 'each folder its own key');
  });

  test('one readable by other users is refused', { skip: process.platform === 'win32' }, () => {
    const dataDir = join(folder, 'loose');
    developmentKeyring(dataDir);
    chmodSync(join(dataDir, 'keys.json'), 0o644);
    rejects(
      () => developmentKeyring(dataDir),
      /^development key file .*keys\.json: readable or writable by other users/,
    );
  });

  test('an in-memory database gets a fresh random keyring and no file', () => {
    const a = developmentKeyring('memory://');
    const b = developmentKeyring('memory://');
    assert.deepEqual(a.versions, [1]);
    assert.ok(!sameCurrentKey(a, b));
    assert.ok(sameCurrentKey(a, a));
  });
});

describe('the matching index key', () => {
  const CONTEXT = 'open-marac.test-index';

  test('comes from MARAC_INDEX_KEY beside MARAC_KEYS, and from "index" in a key file', () => {
    const index = key();
    const fromEnv = keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_INDEX_KEY: index });
    const path = join(folder, 'keys-index.json');
    writeFileSync(path, JSON.stringify({ keys: { '1': key() }, index }));
    const fromFile = keyringFromSettings({ MARAC_KEY_FILE: path });
    const fileAndEnv = keyringFromSettings({
      MARAC_KEY_FILE: join(folder, 'keys-ok.json'),
      MARAC_INDEX_KEY: index,
    });
    for (const keyring of [fromEnv, fromFile, fileAndEnv]) {
      assert.ok(keyring?.hasIndexKey);
      assert.match(keyring.blindIndex(CONTEXT, 'LS62AB')!, /^[A-Za-z0-9_-]{22}$/);
    }
    // The same secret gives the same index whatever the KEKs; another context or value gives another.
    assert.equal(fromEnv!.blindIndex(CONTEXT, 'LS62AB'), fromFile!.blindIndex(CONTEXT, 'LS62AB'));
    assert.equal(fromEnv!.blindIndex(CONTEXT, 'LS62AB'), fileAndEnv!.blindIndex(CONTEXT, 'LS62AB'));
    assert.notEqual(fromEnv!.blindIndex(CONTEXT, 'LS62AB'), fromEnv!.blindIndex(CONTEXT, 'LS62AD'));
    assert.notEqual(fromEnv!.blindIndex(CONTEXT, 'LS62AB'), fromEnv!.blindIndex('other', 'LS62AB'));
  });

  test('another secret gives another index; without one there is none', () => {
    const a = keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_INDEX_KEY: key() })!;
    const b = keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_INDEX_KEY: key() })!;
    assert.notEqual(a.blindIndex(CONTEXT, 'LS62AB'), b.blindIndex(CONTEXT, 'LS62AB'));
    const none = keyringFromSettings({ MARAC_KEYS: `1:${key()}` })!;
    assert.equal(none.hasIndexKey, false);
    assert.equal(none.blindIndex(CONTEXT, 'LS62AB'), null);
  });

  test('a wrong length, bad base64, a placeholder, a KEK reused or two sources are refused, naming the setting', () => {
    const kek = key();
    const env = (index: string) => () => keyringFromSettings({ MARAC_KEYS: `1:${kek}`, MARAC_INDEX_KEY: index });
    rejects(env(randomBytes(16).toString('base64')), /^MARAC_INDEX_KEY: the key is 16 bytes/);
    rejects(env('not*base64!'), /^MARAC_INDEX_KEY: the key is not valid base64/);
    rejects(env(Buffer.alloc(32, 7).toString('base64')), /^MARAC_INDEX_KEY: the key is a placeholder/);
    rejects(env(kek), /^MARAC_INDEX_KEY: the matching index key is also a key-encryption key/);
    rejects(() => keyringFromSettings({ MARAC_INDEX_KEY: key() }), /^MARAC_INDEX_KEY: only used with MARAC_KEYS/);
    const source = 'MARAC_KEY_FILE (/etc/marac/keys.json)';
    rejects(
      () => parseKeyFile(JSON.stringify({ keys: { '1': key() }, index: randomBytes(31).toString('base64') }), source),
      /^MARAC_KEY_FILE \(\/etc\/marac\/keys\.json\): index: the key is 31 bytes/,
    );
    rejects(() => parseKeyFile(JSON.stringify({ keys: { '1': key() }, index: 5 }), source), /"index" must be a string/);
    rejects(
      () => parseKeyFile(JSON.stringify({ keys: { '1': key() }, index: key() }), source, key()),
      /^MARAC_INDEX_KEY, MARAC_KEY_FILE .*not both/,
    );
  });

  test('the index key never appears in an error, in JSON or when inspected', () => {
    const index = key();
    const keyring = keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_INDEX_KEY: index })!;
    for (const text of [JSON.stringify(keyring), inspect(keyring, { depth: 10, showHidden: true })]) {
      assert.ok(!text.includes(index));
      assert.ok(!text.includes(Buffer.from(index, 'base64').toString('hex')));
    }
    const short = randomBytes(31).toString('base64');
    assert.throws(
      () => keyringFromSettings({ MARAC_KEYS: `1:${key()}`, MARAC_INDEX_KEY: short }),
      (e: Error) => !e.message.includes(short),
    );
  });

  test('a new key file holds one; adding a version keeps it, and adds none to a file without', () => {
    const first = generateKeyFileContents();
    assert.ok(keyFileHasIndexKey(first));
    const second = generateKeyFileContents(first);
    assert.equal(
      (JSON.parse(second) as { index: string }).index,
      (JSON.parse(first) as { index: string }).index,
      'kept',
    );
    assert.equal(
      parseKeyFile(second, 'second').blindIndex(CONTEXT, 'x'),
      parseKeyFile(first, 'first').blindIndex(CONTEXT, 'x'),
    );
    const old = JSON.stringify({ keys: { '1': key() } });
    assert.equal(keyFileHasIndexKey(old), false);
    const added = generateKeyFileContents(old);
    assert.equal(keyFileHasIndexKey(added), false, 'its index key may be in MARAC_INDEX_KEY');
    assert.deepEqual(parseKeyFile(added, 'added').versions, [1, 2]);
  });

  test('the in-memory keyring has a random one of its own', () => {
    const a = developmentKeyring('memory://');
    const b = developmentKeyring('memory://');
    assert.ok(a.hasIndexKey && b.hasIndexKey);
    assert.notEqual(a.blindIndex(CONTEXT, 'x'), b.blindIndex(CONTEXT, 'x'));
  });

  test('the development key file is created with one, and keeps it', () => {
    const dataDir = join(folder, 'with-index');
    const first = developmentKeyring(dataDir);
    assert.ok(first.hasIndexKey);
    assert.ok(keyFileHasIndexKey(readFileSync(join(dataDir, 'keys.json'), 'utf8')));
    assert.equal(developmentKeyring(dataDir).blindIndex(CONTEXT, 'x'), first.blindIndex(CONTEXT, 'x'));
  });

  test('a development key file made before it existed still works: its keys are kept and an index key added', () => {
    const dataDir = join(folder, 'old-data');
    const path = join(dataDir, 'keys.json');
    const kek = key();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${JSON.stringify({ keys: { '1': kek } }, null, 2)}\n`, { mode: 0o600 });
    const upgraded = developmentKeyring(dataDir);
    assert.ok(upgraded.hasIndexKey);
    assert.ok(sameCurrentKey(parseKeysSetting(`1:${kek}`), upgraded), 'the old key still opens what it sealed');
    const text = readFileSync(path, 'utf8');
    assert.deepEqual((JSON.parse(text) as { keys: unknown }).keys, { '1': kek });
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dataDir), ['keys.json'], 'no temporary file left behind');
    const again = developmentKeyring(dataDir);
    assert.equal(readFileSync(path, 'utf8'), text, 'added once, not rewritten');
    assert.equal(again.blindIndex(CONTEXT, 'x'), upgraded.blindIndex(CONTEXT, 'x'));
  });
});
