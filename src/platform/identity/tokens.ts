import { createHash, randomBytes } from 'node:crypto';

// 256 random bits: unguessable even across every session and link ever issued, and long enough that a plain SHA-256
// of it (not a slow hash) is safe to store. Only the hash is kept, so a copy of the database cannot be used to act
// as anyone or to open an invitation or password-reset link.
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new secret token for a session cookie, an invitation link or a password-reset link: 43 base64url characters. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The stored form of a token, and the key to look it up by: SHA-256 as 64 hex characters. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * True for a string newToken() could have made. Lets a route turn away junk from a cookie or URL before it reaches
 * the database; a lookup by hash needs no constant-time comparison, since the attacker does not know the hash.
 */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
