import type { Keyring } from '../../platform/crypto/keyring.ts';
import { POSTCODE_KEY_CONTEXT } from './matching/postcode-key.ts';
import { postcodeOutcode } from './matching/normalise.ts';

/**
 * A person's postcode as matching stores it: the outward code in the clear and the postcode key (a keyed hash of
 * the full postcode, matching/postcode-key.ts) under the keyring's matching index key, never the postcode itself.
 * Nothing here logs: a postcode all but gives an address away.
 */

/** What `matchingColumns()` is given for a person's postcode (columns.ts `PersonNames`). */
export type PostcodeFields = { postcode: string | null; postcodeKey: string | null };

/**
 * Shaped like a postcode: an outward code (one or two letters, a digit, perhaps a digit or letter), optional spaces,
 * an inward code (a digit, two letters), not inside a longer word or number; or GIR 0AA. Checked properly by
 * `postcodeOutcode` afterwards.
 */
const POSTCODE_LIKE = /(?<![A-Z0-9])(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[^\S\n]{0,3}[0-9][A-Z]{2}(?![A-Z0-9])/g;

/**
 * The first whole valid UK postcode in free text (an address as a referrer typed it), as "LS6 2AB": upper case, one
 * space. Null when there is none; an outward code alone ("Leeds LS6") is not a postcode. Pure.
 */
export function findPostcode(text: string | null | undefined): string | null {
  if (!text) return null;
  for (const match of text.toUpperCase().matchAll(POSTCODE_LIKE)) {
    const compact = match[0].replace(/\s+/g, '');
    const outcode = postcodeOutcode(compact);
    if (outcode !== null) return `${outcode} ${compact.slice(-3)}`;
  }
  return null;
}

/**
 * The postcode key of a whole valid UK postcode under the keyring's matching index key (case and spaces ignored),
 * exactly as `postcodeKey(indexKey, postcode)` computes it; null for anything else, or when the keyring has no index
 * key (outside production only).
 */
export function postcodeKeyFor(keyring: Keyring, postcode: string | null | undefined): string | null {
  if (!postcode || postcodeOutcode(postcode) === null) return null;
  return keyring.blindIndex(POSTCODE_KEY_CONTEXT, postcode.toUpperCase().replace(/\s+/g, ''));
}

/** The postcode fields of a free-text address: its first postcode and that postcode's key; both null without one. */
export function addressPostcode(keyring: Keyring, address: string | null | undefined): PostcodeFields {
  const postcode = findPostcode(address);
  return { postcode, postcodeKey: postcodeKeyFor(keyring, postcode) };
}

/** No postcode: what a person without an address (or a victim in a refuge) stores. */
export const NO_POSTCODE: PostcodeFields = Object.freeze({ postcode: null, postcodeKey: null });
