import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

// OWASP's Password Storage Cheat Sheet minimum for Argon2id. Raising any of these makes needsRehash() true for
// older hashes, so they are upgraded at the user's next sign-in; verifyPassword() always reads the stored values.
const CURRENT = { memory: 19456, passes: 2, parallelism: 1 } as const;
const SALT_BYTES = 16;
const TAG_BYTES = 32;

// Upper bounds for parameters read back from the database, so that a corrupted or tampered row cannot make one
// sign-in attempt allocate gigabytes or run for minutes.
const MAX_MEMORY_KIB = 256 * 1024;
const MAX_PASSES = 32;
const MAX_PARALLELISM = 16;

interface Argon2idHash {
  memory: number;
  passes: number;
  parallelism: number;
  salt: Buffer;
  tag: Buffer;
}

/**
 * The one form of a password that is hashed and checked. NFKC folds the different byte sequences that keyboards and
 * operating systems produce for the same visible text ("é" precomposed or as e + accent, full-width letters), so a
 * password set on one device still works on another. Callers should apply it to what the user typed before checking
 * the policy; hashPassword() and verifyPassword() apply it again themselves (it is idempotent), so forgetting it can
 * never lock a user out. Whitespace is kept: it is part of what the user chose.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a password as a PHC string: `$argon2id$v=19$m=…,t=…,p=…$<salt>$<tag>` (unpadded standard base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const tag = await derive(password, { ...CURRENT, salt, tagLength: TAG_BYTES });
  return format({ ...CURRENT, salt, tag });
}

/**
 * Checks a password against a stored PHC string. Answers false, never throws, for a string it cannot read, so a
 * damaged row means "wrong password" rather than an error page that would tell the user apart from others.
 */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  const tag = await derive(password, { ...parsed, tagLength: parsed.tag.length });
  return timingSafeEqual(tag, parsed.tag);
}

/** True when a stored hash was made with other parameters than today's (or cannot be read) and should be replaced. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return (
    parsed === undefined ||
    parsed.memory !== CURRENT.memory ||
    parsed.passes !== CURRENT.passes ||
    parsed.parallelism !== CURRENT.parallelism ||
    parsed.salt.length < SALT_BYTES ||
    parsed.tag.length !== TAG_BYTES
  );
}

/**
 * A hash with today's parameters of a random password nobody knows. Signing in as an unknown user, or as one who has
 * no password yet, checks against it so the answer takes as long as for a wrong password: the time taken must not
 * reveal which email addresses have accounts. A test keeps it in step with CURRENT.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$XbuY32ysHWEE6uxazj1Hrw$sPXSFiTbgPGhGE1Kyq5WNEu5nh81lli2q40Sw/9Km8M';

/** Spends the time of one password check and answers false, whatever the password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}

function derive(
  password: string,
  p: { memory: number; passes: number; parallelism: number; salt: Buffer; tagLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: Buffer.from(normalisePassword(password), 'utf8'),
        nonce: p.salt,
        memory: p.memory,
        passes: p.passes,
        parallelism: p.parallelism,
        tagLength: p.tagLength,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function format(h: Argon2idHash): string {
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${h.memory},t=${h.passes},p=${h.parallelism}$${b64(h.salt)}$${b64(h.tag)}`;
}

const PHC =
  /^\$argon2id\$v=19\$m=([1-9]\d{0,9}),t=([1-9]\d{0,9}),p=([1-9]\d{0,9})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parse(stored: string): Argon2idHash | undefined {
  const m = PHC.exec(stored);
  if (m === null) return undefined;
  const [memory, passes, parallelism] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = unpaddedBase64(m[4] ?? '');
  const tag = unpaddedBase64(m[5] ?? '');
  if (salt === undefined || tag === undefined) return undefined;
  // The bounds above, and Argon2's own minimums (RFC 9106 section 3.1: 8 KiB per lane, an 8-byte salt), checked
  // here so that node:crypto never throws. Tags outside 16 to 64 bytes are not ones any Argon2 library writes.
  if (parallelism > MAX_PARALLELISM || passes > MAX_PASSES || memory > MAX_MEMORY_KIB) return undefined;
  if (memory < 8 * parallelism || salt.length < 8 || tag.length < 16 || tag.length > 64) return undefined;
  return { memory, passes, parallelism, salt, tag };
}

// Buffer.from(…, 'base64') skips characters it does not know, so only a string that encodes back to itself is taken.
function unpaddedBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : undefined;
}
