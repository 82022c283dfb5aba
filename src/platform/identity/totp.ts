import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.ts';

// RFC 6238 with the parameters every authenticator app supports: HMAC-SHA1, 6 digits, 30-second steps. SHA-1's
// collision weakness does not matter for HMAC.
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'Open MARAC';
const SECRET_BYTES = 20; // RFC 4226 section 4 recommends 160 bits.
const MIN_SECRET_BYTES = 16; // RFC 4226 section 4: at least 128 bits.

/** A new random secret, as unpadded base32 (32 characters), to store for the user and show in the QR code. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

/** The RFC 6238 time step that `timeMs` (milliseconds since the Unix epoch) falls in. */
export function totpStep(timeMs: number): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) throw new RangeError('TOTP time must be a non-negative number');
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/** The code for the time step containing `timeMs`. Throws for a secret that is not base32 or is too short. */
export function totpCode(secretBase32: string, timeMs: number, digits: number = TOTP_DIGITS): string {
  return codeForStep(secretKey(secretBase32), totpStep(timeMs), digits);
}

export type TotpResult = { ok: true; step: number } | { ok: false };

export interface VerifyTotpOptions {
  /** Steps either side of now to accept, for clock drift and slow typing. */
  window?: number;
  /** The step of the last code this user signed in with: that code and any older one can never be used again. */
  lastUsedStep?: number;
  digits?: number;
}

/**
 * Checks a typed code. On success answers the step it belonged to, which the caller must store as the user's
 * lastUsedStep so the same code cannot be replayed (RFC 6238 section 5.2). Spaces are ignored ("123 456", as many apps
 * show it); anything else that is not an ASCII digit fails. Throws only for a bad stored secret.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  timeMs: number,
  { window = 1, lastUsedStep = -1, digits = TOTP_DIGITS }: VerifyTotpOptions = {},
): TotpResult {
  if (!Number.isInteger(window) || window < 0 || window > 10) throw new RangeError('TOTP window must be 0 to 10');
  checkDigits(digits);
  const key = secretKey(secretBase32);
  const now = totpStep(timeMs);
  const typed = code.replace(/\s+/g, '');
  if (!new RegExp(`^[0-9]{${digits}}$`).test(typed)) return { ok: false };

  // Every step in the window is compared, and each comparison takes the same time, so timing says nothing about
  // which step (if any) matched. The latest match wins, so the replay guard moves as far forward as it can.
  let matched = -1;
  for (let step = Math.max(0, now - window); step <= now + window; step++) {
    const same = timingSafeEqual(Buffer.from(codeForStep(key, step, digits)), Buffer.from(typed));
    if (same && step > lastUsedStep) matched = step;
  }
  return matched >= 0 ? { ok: true, step: matched } : { ok: false };
}

export interface OtpauthUriOptions {
  secret: string;
  accountName: string;
  issuer?: string;
}

/**
 * The otpauth:// URI (Google Authenticator "Key Uri Format") that authenticator apps read from the QR code. The label
 * is `issuer:account`, each part percent-encoded as UTF-8, and the issuer is repeated as a parameter because some
 * apps read only one of the two.
 */
export function otpauthUri({ secret, accountName, issuer = TOTP_ISSUER }: OtpauthUriOptions): string {
  if (issuer.includes(':') || accountName.includes(':')) throw new Error('TOTP issuer and account cannot contain ":"');
  const canonical = base32Encode(secretKey(secret));
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = [
    `secret=${canonical}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_STEP_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

function secretKey(secretBase32: string): Buffer {
  const key = base32Decode(secretBase32);
  if (key.length < MIN_SECRET_BYTES) throw new Error('TOTP secret is too short');
  return key;
}

// RFC 4226 section 5.3: HMAC the 8-byte big-endian counter, take 31 bits at the offset the last nibble names.
function codeForStep(key: Buffer, step: number, digits: number): string {
  checkDigits(digits);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('TOTP codes have 6 to 8 digits');
}
