import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford's base32: digits and lower-case letters without i, l, o and u, so no two characters look alike, and
// 32 symbols so each random byte's low five bits choose one without bias. 12 characters carry 60 bits.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 12;
const GROUP = 4;

/**
 * One-time codes for signing in when the authenticator app is lost, shown once as `xxxx-xxxx-xxxx`. Store only
 * hashRecoveryCode() of each.
 */
export function generateRecoveryCodes(n = 10): string[] {
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new RangeError('Recovery codes come in sets of 1 to 100');
  const codes = new Set<string>();
  while (codes.size < n) {
    const chars = [...randomBytes(LENGTH)].map((b) => ALPHABET[b & 31]).join('');
    codes.add(chars.match(new RegExp(`.{${GROUP}}`, 'g'))?.join('-') ?? chars);
  }
  return [...codes];
}

/**
 * The stored form of a recovery code. A plain SHA-256, not Argon2: the codes are 60 random bits, not chosen by
 * people, so there is no dictionary to try; guessing one from its hash takes about 2^59 hashes, and a code only
 * stands in for the second factor, so the Argon2-hashed password is still needed. A fast hash also lets a typed code
 * be checked against all ten without ten Argon2 runs. The typed form is forgiving: case, spaces and dashes are
 * ignored, and o, i and l are read as 0, 1 and 1 as Crockford intended.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

/**
 * The index in `hashes` of the code the user typed, or -1. Pass the hashes of the user's unused codes only, and mark
 * the one found as used in the same transaction (guarded on its still being unused, so two tabs cannot spend it
 * twice). Every stored hash is compared, each in constant time.
 */
export function matchRecoveryCode(typed: string, hashes: readonly string[]): number {
  if (!new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(normalise(typed))) return -1;
  const digest = Buffer.from(hashRecoveryCode(typed), 'hex');
  let found = -1;
  hashes.forEach((stored, index) => {
    const candidate = Buffer.from(stored, 'hex');
    if (candidate.length === digest.length && timingSafeEqual(candidate, digest) && found < 0) found = index;
  });
  return found;
}

function normalise(code: string): string {
  return code
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{Pd}]+/gu, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
}
