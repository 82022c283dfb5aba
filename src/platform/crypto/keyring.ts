/**
 * Key-encryption keys (KEKs): versioned AES-256 keys that wrap each case's
 * data key. They come from MARAC_KEYS or the file named by MARAC_KEY_FILE —
 * never from the database, so a copy of the database alone reads nothing —
 * and the highest version is the current one. The key bytes stay inside the
 * keyring's closure: callers can wrap and unwrap, never read a key.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
};

/** The settings a keyring comes from, as raw strings (config passes them through). */
export type KeyringSettings = {
  /** `1:<base64 of 32 bytes>,2:<base64>` */
  MARAC_KEYS?: string | undefined;
  /** Path of a JSON file `{"keys":{"1":"<base64>","2":"<base64>"}}`. */
  MARAC_KEY_FILE?: string | undefined;
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
  if (keys !== undefined) return parseKeysSetting(keys);
  if (file !== undefined) return readKeyFile(file);
  return null;
}

/** Parses `1:<base64>,2:<base64>` (whitespace and a trailing comma allowed). */
export function parseKeysSetting(text: string, setting = 'MARAC_KEYS'): Keyring {
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
  return keyringFromText(entries, setting);
}

/** Parses a key file's text; `source` names it in errors. */
export function parseKeyFile(text: string, source: string): Keyring {
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
  return keyringFromText(entries, source);
}

/** Reads a key file; errors name the setting and the path. */
export function readKeyFile(path: string, setting = 'MARAC_KEY_FILE'): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyringError(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseKeyFile(text, `${setting} (${path})`);
}

/**
 * For the embedded demo and development database only: the key file
 * `<dataDir>/keys.json`, created (mode 0600) with one random key on first
 * use and read afterwards. It sits beside the data it protects, so it guards
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyringError(`${source}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseKeyFile(text, source);
}

/** A keyring of one random key (version 1), held in memory only. */
export function generateKeyring(): Keyring {
  const key = randomBytes(KEY_BYTES);
  try {
    return createKeyring([[1, key]], 'generated keyring');
  } finally {
    key.fill(0);
  }
}

/**
 * Key file text with a new random key: version 1 in a new file, or one above
 * the highest version of `existing` (a key file's text), keeping its keys —
 * the first step of a rotation.
 */
export function generateKeyFileContents(existing?: string): string {
  const keys: Record<string, string> = {};
  let next = 1;
  if (existing !== undefined) {
    const current = parseKeyFile(existing, 'the existing key file');
    Object.assign(keys, (JSON.parse(existing) as { keys: Record<string, string> }).keys);
    next = current.currentVersion + 1;
  }
  keys[String(next)] = randomBytes(KEY_BYTES).toString('base64');
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

function keyringFromText(entries: [string, string][], source: string): Keyring {
  const decoded: [number, Buffer][] = [];
  try {
    for (const [versionText, keyText] of entries) {
      if (!/^[1-9]\d{0,9}$/.test(versionText) || Number(versionText) > MAX_VERSION) {
        throw new KeyringError(`${source}: "${versionText.slice(0, 12)}" is not a key version (a whole number from 1)`);
      }
      const version = Number(versionText);
      // Standard base64 (as `openssl rand -base64 32` prints it) or base64url, padding optional.
      const key = fromBase64Url(keyText.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
      if (!key) throw new KeyringError(`${source}: version ${version}: the key is not valid base64`);
      decoded.push([version, key]);
    }
    return createKeyring(decoded, source);
  } finally {
    for (const [, key] of decoded) key.fill(0);
  }
}

/** Validates and copies the keys into a new keyring; `source` names the setting in errors. */
function createKeyring(entries: readonly [number, Uint8Array][], source: string): Keyring {
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
  return Object.freeze({
    currentVersion,
    versions: Object.freeze(versions),
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
