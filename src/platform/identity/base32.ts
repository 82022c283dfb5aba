// RFC 4648 section 6 base32, the encoding authenticator apps expect for TOTP secrets. Written here rather than taken
// from a package: it is a few lines, and a secret's encoding is not something to leave to an unreviewed dependency.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as upper-case base32 without "=" padding (authenticator apps and otpauth URIs omit it). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32, ignoring case, spaces and trailing "=" padding (people type secrets from a screen). Throws on any
 * other character, on a length no encoder produces, or on non-zero leftover bits, so a mistyped secret is refused
 * rather than silently read as a different one.
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/\s+/g, '').toUpperCase().replace(/=+$/, '');
  if (![0, 2, 4, 5, 7].includes(clean.length % 8)) throw new Error('Not base32: impossible length');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error('Not base32: unexpected character');
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new Error('Not base32: stray bits at the end');
  return Buffer.from(out);
}
