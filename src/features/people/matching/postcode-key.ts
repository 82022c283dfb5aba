import { blindIndexOf } from '../../../platform/crypto/keyring.ts';
import { postcodeOutcode } from './normalise.ts';

/**
 * The postcode key: a keyed hash (HMAC-SHA256) of a person's full postcode, stored in `person.postcode_key` so the
 * candidate search can block on "lives at the same postcode" without the database holding the postcode. A postcode
 * unit is about fifteen addresses, so a postcode in the clear would all but give a victim's address away; and there
 * are under two million postcodes, so an unkeyed hash could be reversed by trying them all. The key is the matching
 * index key, held outside the database like the key-encryption keys. Pure; the caller holds the secret.
 */
export const POSTCODE_KEY_CONTEXT = 'open-marac.postcode-key.v1';

/** The key of a whole valid UK postcode (case and spaces ignored); null for anything else. */
export function postcodeKey(secret: Uint8Array, postcode: string): string | null {
  if (postcodeOutcode(postcode) === null) return null;
  const compact = postcode.toUpperCase().replace(/\s+/g, '');
  return blindIndexOf(secret, POSTCODE_KEY_CONTEXT, compact);
}
