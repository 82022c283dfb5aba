import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base32Decode, base32Encode } from './base32.ts';

// RFC 4648 section 10, with the padding removed as base32Encode leaves it off.
const VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'MY'],
  ['fo', 'MZXQ'],
  ['foo', 'MZXW6'],
  ['foob', 'MZXW6YQ'],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI'],
];

describe('base32', () => {
  test('encodes the RFC 4648 test vectors', () => {
    for (const [plain, encoded] of VECTORS) assert.equal(base32Encode(Buffer.from(plain)), encoded, plain);
  });

  test('decodes the RFC 4648 test vectors, with or without padding, in either case and with spaces', () => {
    const padded = ['', 'MY======', 'MZXQ====', 'MZXW6===', 'MZXW6YQ=', 'MZXW6YTB', 'MZXW6YTBOI======'];
    VECTORS.forEach(([plain, encoded], i) => {
      assert.equal(base32Decode(encoded).toString(), plain);
      assert.equal(base32Decode(padded[i] ?? '').toString(), plain);
      assert.equal(base32Decode(encoded.toLowerCase()).toString(), plain);
    });
    assert.equal(base32Decode('mzxw 6ytb oi').toString(), 'foobar');
  });

  test('round-trips every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let n = 0; n <= 21; n++) {
      const bytes = all.subarray(n * 11, n * 11 + n);
      assert.deepEqual(base32Decode(base32Encode(bytes)), Buffer.from(bytes));
    }
    assert.deepEqual(base32Decode(base32Encode(all)), all);
  });

  test('refuses characters outside the alphabet, impossible lengths and stray bits', () => {
    for (const bad of ['MZXW1', 'MZXW0', 'MZX8', 'MZ-XW', 'MZXW6YT!']) {
      assert.throws(() => base32Decode(bad), /unexpected character/, bad);
    }
    for (const bad of ['M', 'MZX', 'MZXW6Y']) assert.throws(() => base32Decode(bad), /impossible length/, bad);
    // 'f' is 'MY'; 'MZ' and 'MZXR' carry set bits after the last whole byte.
    assert.throws(() => base32Decode('MZ'), /stray bits/);
    assert.throws(() => base32Decode('MZXR'), /stray bits/);
  });
});
