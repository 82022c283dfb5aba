/**
 * AES-256-GCM, the one cipher of this module, and the strict encodings around
 * it. Everything else (keyring, data keys, fields) is built on these few
 * functions, so nonce and tag handling live in one place.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
/** 96-bit random nonces: each data key seals a case's fields only, far below GCM's 2^32 limit. */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

const ALGORITHM = 'aes-256-gcm';

/** Encrypts plaintext under key, authenticating aad too; returns a fresh nonce and ciphertext‖tag. */
export function sealBytes(key: Buffer, plaintext: Uint8Array, aad: Buffer): { nonce: Buffer; sealed: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, sealed };
}

/**
 * Decrypts ciphertext‖tag; null when authentication fails (wrong key, wrong
 * aad, or any altered byte). The caller owns the returned buffer and should
 * zero it when done.
 */
export function openBytes(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) return null;
  // authTagLength pins the tag to 16 bytes: without it a shortened tag would be accepted.
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    const last = decipher.final();
    if (last.length === 0) return body;
    const plaintext = Buffer.concat([body, last]);
    body.fill(0);
    return plaintext;
  } catch {
    body.fill(0);
    return null;
  }
}

/**
 * Additional authenticated data: the UTF-8 JSON of an array. JSON quoting
 * makes it unambiguous — no value can forge a separator — and the first
 * element names the purpose and format version, so data of one kind never
 * authenticates as another.
 */
export function associatedData(parts: readonly (string | number)[]): Buffer {
  return Buffer.from(JSON.stringify(parts), 'utf8');
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Strict base64url: only the canonical encoding is accepted (Node's decoder
 * skips stray characters and ignores trailing bits, so two strings could
 * otherwise decode to the same bytes). Null when the text is not canonical.
 */
export function fromBase64Url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
