/**
 * Key-encryption keys (KEKs): versioned AES-256 keys that wrap each case's
 * data key. They come from MARAC_KEYS or the file named by MARAC_KEY_FILE —
 * never from the database, so a copy of the database alone reads nothing —
 * and the highest version is the current one. The key bytes stay inside the
 * keyring's closure: callers can wrap and unwrap, never read a key.
 *
 * Beside them the keyring holds the matching index key (MARAC_INDEX_KEY, or
 * "index" in the key file): one unversioned 32-byte secret for blind indexes
 * such as the postcode key. It is separate from the KEKs because KEKs rotate
 * and a blind index must stay stable: a value hashed under a new key no
 * longer equals the stored hashes. Callers get `blindIndex()`, never the key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url, KEY_BYTES, openBytes, sealBytes, toBase64Url } from './aead.ts';
import { KekMissingError, KeyringError } from './errors.ts';

export type Keyring = {
  /** The newest version: new data keys are wrapped by it, and rotation re-wraps to it. */
  readonly currentVersion: number;
  /** Every version held, ascending. */
  readonly versions: readonly number[];
  /** Wraps a data key under the current KEK: `v1.<nonce>.<ciphertext‖tag>`, both base64url. */
  wrap(dataKey: Buffer, aad: Buffer): string;
  /**
   * Unwraps a data key wrapped by the given KEK version; null when it fails
   * authentication or is not a wrapped key. Throws KekMissingError when the
   * version is not held. The caller zeroes the returned buffer when done.
   */
  unwrap(kekVersion: number, wrapped: string, aad: Buffer): Buffer | null;
  /** Whether the keyring holds a matching index key (always in production: configuration requires one). */
  readonly hasIndexKey: boolean;
  /** `blindIndexOf(indexKey, context, text)` under the matching index key; null when the keyring holds none. */
  blindIndex(context: string, text: string): string | null;
};

/** The settings a keyring comes from, as raw strings (config passes them through). */
export type KeyringSettings = {
  /** `1:<base64 of 32 bytes>,2:<base64>` */
  MARAC_KEYS?: string | undefined;
  /** Path of a JSON file `{"keys":{"1":"<base64>","2":"<base64>"},"index":"<base64>"}`. */
  MARAC_KEY_FILE?: string | undefined;
  /** The matching index key, base64 of 32 bytes, when the key file does not hold it. */
  MARAC_INDEX_KEY?: string | undefined;
};

/** Versions are stored in an `integer` column. */
const MAX_VERSION = 2 ** 31 - 1;
const WRAPPED = /^v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const KEY_FILE_NAME = 'keys.json';

/**
 * The keyring the settings describe, or null when neither is set (the caller
 * decides: a development key file, or a refusal in production).
 */
export function keyringFromSettings(settings: KeyringSettings): Keyring | null {
  const keys = settings.MARAC_KEYS?.trim() ? settings.MARAC_KEYS : undefined;
  const file = settings.MARAC_KEY_FILE?.trim() ? settings.MARAC_KEY_FILE : undefined;
  if (keys !== undefined && file !== undefined) {
    throw new KeyringError('MARAC_KEYS, MARAC_KEY_FILE: set one or the other, not both.');
  }
  const index = settings.MARAC_INDEX_KEY?.trim() ? settings.MARAC_INDEX_KEY.trim() : undefined;
  if (index !== undefined && keys === undefined && file === undefined) {
    throw new KeyringError(
      'MARAC_INDEX_KEY: only used with MARAC_KEYS or MARAC_KEY_FILE (the development key file holds its own)',
    );
  }
  if (keys !== undefined) return parseKeysSetting(keys, 'MARAC_KEYS', index);
  if (file !== undefined) return readKeyFile(file, 'MARAC_KEY_FILE', index);
  return null;
}

/**
 * Parses `1:<base64>,2:<base64>` (whitespace and a trailing comma allowed), with the matching index key from
 * MARAC_INDEX_KEY when given.
 */
export function parseKeysSetting(text: string, setting = 'MARAC_KEYS', indexKey?: string): Keyring {
  const entries: [string, string][] = [];
  for (const item of text.split(',')) {
    const entry = item.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new KeyringError(`${setting}: each entry must be <version>:<base64 key>, e.g. 1:${'A'.repeat(43)}=`);
    }
    entries.push([entry.slice(0, colon).trim(), entry.slice(colon + 1).trim()]);
  }
  return keyringFromText(entries, setting, indexKey === undefined ? null : [indexKey, 'MARAC_INDEX_KEY']);
}

/**
 * Parses a key file's text; `source` names it in errors. Its "index" field, when present, is the matching index
 * key; `indexKey` (MARAC_INDEX_KEY) may give it instead, never both.
 */
export function parseKeyFile(text: string, source: string, indexKey?: string): Keyring {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyringError(`${source}: not valid JSON (expected {"keys":{"1":"<base64 key>"}})`);
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new KeyringError(`${source}: must hold {"keys":{"<version>":"<base64 key>", …}}`);
  }
  // JSON.parse keeps only the last of two equal property names; count them in the text instead.
  const seen = new Map<string, number>();
  for (const match of text.matchAll(/"(\d+)"\s*:/g)) seen.set(match[1]!, (seen.get(match[1]!) ?? 0) + 1);
  for (const [version, count] of seen) {
    if (count > 1) throw new KeyringError(`${source}: version ${version} appears more than once`);
  }
  const entries = Object.entries(keys).map(([version, key]): [string, string] => {
    if (typeof key !== 'string') throw new KeyringError(`${source}: version ${version}: the key must be a string`);
    return [version, key];
  });
  const fileIndex = (value as { index?: unknown }).index;
  if (fileIndex !== undefined && typeof fileIndex !== 'string') {
    throw new KeyringError(`${source}: "index" must be a string (the base64 matching index key)`);
  }
  if (fileIndex !== undefined && indexKey !== undefined) {
    throw new KeyringError(
      `MARAC_INDEX_KEY, ${source} "index": set the matching index key in one place, not both ` +
        '(keep the one the stored postcode keys were computed with)',
    );
  }
  const index: [string, string] | null =
    fileIndex !== undefined
      ? [fileIndex, `${source}: index`]
      : indexKey !== undefined
        ? [indexKey, 'MARAC_INDEX_KEY']
        : null;
  return keyringFromText(entries, source, index);
}

/** Reads a key file; errors name the setting and the path. */
export function readKeyFile(path: string, setting = 'MARAC_KEY_FILE', indexKey?: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyringError(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseKeyFile(text, `${setting} (${path})`, indexKey);
}

/**
 * For the embedded demo and development database only: the key file
 * `<dataDir>/keys.json`, created (mode 0600) with one random key and a random
 * matching index key on first use and read afterwards. A file made before the
 * index key existed has one added, its keys kept as they are. It sits beside the data it protects, so it guards
 * nothing against someone holding the folder; production must set MARAC_KEYS
 * or MARAC_KEY_FILE. An in-memory database (`memory://`) gets a random
 * keyring that lives as long as the process, like its data.
 */
export function developmentKeyring(dataDir: string): Keyring {
  if (dataDir === 'memory://') return generateKeyring();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, KEY_FILE_NAME);
  const source = `development key file ${path}`;
  // Write a complete file under a temporary name and link it into place:
  // link fails if the file exists, so two processes starting together both
  // end up reading the one file, never a half-written one.
  const temporary = join(dataDir, `.${KEY_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(temporary, generateKeyFileContents(), { mode: 0o600, flag: 'wx', flush: true });
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new KeyringError(`${source}: cannot create it (${(error as NodeJS.ErrnoException).code})`);
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Never written.
    }
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new KeyringError(`${source}: readable or writable by other users; run \`chmod 600 ${path}\``);
  }
  let text = readDevelopmentKeyFile(path, source);
  if (parseKeyFile(text, source).hasIndexKey) return parseKeyFile(text, source);
  // Made before the matching index key existed: add one, keeping the keys exactly as they are. Written whole under
  // a temporary name and renamed into place (mode 0600). Two processes upgrading the same old file at the same
  // moment could each use a different index key until restarted; for development data only.
  const upgraded = join(dataDir, `.${KEY_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(upgraded, withIndexKey(text), { mode: 0o600, flag: 'wx', flush: true });
    renameSync(upgraded, path);
  } catch (error) {
    try {
      unlinkSync(upgraded);
    } catch {
      // Never written.
    }
    throw new KeyringError(`${source}: cannot add a matching index key (${(error as NodeJS.ErrnoException).code})`);
  }
  text = readDevelopmentKeyFile(path, source);
  return parseKeyFile(text, source);
}

function readDevelopmentKeyFile(path: string, source: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyringError(`${source}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** Key file text with a random matching index key added (the text must parse and hold none). */
function withIndexKey(existing: string): string {
  const value = JSON.parse(existing) as Record<string, unknown>;
  return `${JSON.stringify({ ...value, index: randomBytes(KEY_BYTES).toString('base64') }, null, 2)}\n`;
}

/** A keyring of one random key (version 1) and a random matching index key, held in memory only. */
export function generateKeyring(): Keyring {
  const key = randomBytes(KEY_BYTES);
  const index = randomBytes(KEY_BYTES);
  try {
    return createKeyring([[1, key]], 'generated keyring', index);
  } finally {
    key.fill(0);
    index.fill(0);
  }
}

/**
 * Key file text with a new random key: version 1 and a random matching index
 * key in a new file, or one above the highest version of `existing` (a key
 * file's text), keeping its keys and its index key — the first step of a
 * rotation. An existing file without an index key is given none: its
 * deployment may hold it in MARAC_INDEX_KEY, and a second one would change
 * every postcode key.
 */
export function generateKeyFileContents(existing?: string): string {
  if (existing === undefined) {
    const keys = { '1': randomBytes(KEY_BYTES).toString('base64') };
    return `${JSON.stringify({ keys, index: randomBytes(KEY_BYTES).toString('base64') }, null, 2)}\n`;
  }
  const current = parseKeyFile(existing, 'the existing key file');
  const value = JSON.parse(existing) as { keys: Record<string, string>; index?: string };
  const keys = { ...value.keys, [String(current.currentVersion + 1)]: randomBytes(KEY_BYTES).toString('base64') };
  return `${JSON.stringify(value.index === undefined ? { keys } : { keys, index: value.index }, null, 2)}\n`;
}

/** Whether a key file's text holds a matching index key ("index"); false for text that is not a key file. */
export function keyFileHasIndexKey(text: string): boolean {
  try {
    return typeof (JSON.parse(text) as { index?: unknown } | null)?.index === 'string';
  } catch {
    return false;
  }
}

/** `index` is the index key's text and the name of its setting for errors. */
function keyringFromText(entries: [string, string][], source: string, index: [string, string] | null): Keyring {
  const decoded: [number, Buffer][] = [];
  let indexKey: Buffer | null = null;
  try {
    if (index !== null) {
      const [indexText, setting] = index;
      indexKey = decodeKey(indexText);
      if (!indexKey) throw new KeyringError(`${setting}: the key is not valid base64`);
      if (indexKey.length !== KEY_BYTES) {
        throw new KeyringError(
          `${setting}: the key is ${indexKey.length} bytes; the matching index key must be ${KEY_BYTES} random ` +
            'bytes in base64 (e.g. from `openssl rand -base64 32`)',
        );
      }
      if (indexKey.every((byte) => byte === indexKey![0])) {
        throw new KeyringError(`${setting}: the key is a placeholder, not random bytes`);
      }
    }
    for (const [versionText, keyText] of entries) {
      if (!/^[1-9]\d{0,9}$/.test(versionText) || Number(versionText) > MAX_VERSION) {
        throw new KeyringError(`${source}: "${versionText.slice(0, 12)}" is not a key version (a whole number from 1)`);
      }
      const version = Number(versionText);
      const key = decodeKey(keyText);
      if (!key) throw new KeyringError(`${source}: version ${version}: the key is not valid base64`);
      decoded.push([version, key]);
    }
    if (indexKey && decoded.some(([, key]) => key.equals(indexKey!))) {
      throw new KeyringError(`${index![1]}: the matching index key is also a key-encryption key; use another`);
    }
    return createKeyring(decoded, source, indexKey);
  } finally {
    for (const [, key] of decoded) key.fill(0);
    indexKey?.fill(0);
  }
}

/**
 * A blind index of `text`: HMAC-SHA256 under `secret` of `<context>\n<text>`, base64url, first 22 characters (128
 * bits). The one formula for every blind index (the keyring's `blindIndex`, matching's `postcodeKey`).
 */
export function blindIndexOf(secret: Uint8Array, context: string, text: string): string {
  return createHmac('sha256', secret).update(`${context}\n${text}`).digest('base64url').slice(0, 22);
}

/** Standard base64 (as `openssl rand -base64 32` prints it) or base64url, padding optional; null if neither. */
function decodeKey(text: string): Buffer | null {
  return fromBase64Url(text.trim().replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
}

/**
 * Validates and copies the keys into a new keyring; `source` names the setting in errors. `indexKey`, already
 * validated, is copied too.
 */
function createKeyring(
  entries: readonly [number, Uint8Array][],
  source: string,
  indexKey: Uint8Array | null = null,
): Keyring {
  if (entries.length === 0) throw new KeyringError(`${source}: holds no keys`);
  const keys = new Map<number, Buffer>();
  for (const [version, key] of entries) {
    if (keys.has(version)) throw new KeyringError(`${source}: version ${version} appears more than once`);
    if (key.length !== KEY_BYTES) {
      throw new KeyringError(
        `${source}: version ${version}: the key is ${key.length} bytes; each key must be ${KEY_BYTES} random bytes ` +
          'in base64 (e.g. from `openssl rand -base64 32`)',
      );
    }
    if (key.every((byte) => byte === key[0])) {
      throw new KeyringError(`${source}: version ${version}: the key is a placeholder, not random bytes`);
    }
    for (const [other, otherKey] of keys) {
      if (otherKey.equals(key)) throw new KeyringError(`${source}: versions ${other} and ${version} hold the same key`);
    }
    // Buffer.alloc, not Buffer.from: a key gets memory of its own, outside Node's shared pool.
    const copy = Buffer.alloc(KEY_BYTES);
    copy.set(key);
    keys.set(version, copy);
  }
  const versions = [...keys.keys()].sort((a, b) => a - b);
  const currentVersion = versions.at(-1)!;
  const kek = (version: number): Buffer => {
    const key = keys.get(version);
    if (!key) throw new KekMissingError(version, versions);
    return key;
  };
  let index: Buffer | null = null;
  if (indexKey) {
    index = Buffer.alloc(KEY_BYTES);
    index.set(indexKey);
  }
  return Object.freeze({
    currentVersion,
    versions: Object.freeze(versions),
    hasIndexKey: index !== null,
    blindIndex(context: string, text: string): string | null {
      return index ? blindIndexOf(index, context, text) : null;
    },
    wrap(dataKey: Buffer, aad: Buffer): string {
      const { nonce, sealed } = sealBytes(kek(currentVersion), dataKey, aad);
      return `v1.${toBase64Url(nonce)}.${toBase64Url(sealed)}`;
    },
    unwrap(kekVersion: number, wrapped: string, aad: Buffer): Buffer | null {
      const key = kek(kekVersion);
      const parts = WRAPPED.exec(wrapped);
      const nonce = parts && fromBase64Url(parts[1]!);
      const sealed = parts && fromBase64Url(parts[2]!);
      if (!nonce || !sealed) return null;
      return openBytes(key, nonce, sealed, aad);
    },
  });
}
