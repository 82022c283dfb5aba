import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode } from './recovery-codes.ts';

describe('generateRecoveryCodes', () => {
  test('gives ten distinct codes of twelve unambiguous characters by default', () => {
    const codes = generateRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  test('gives as many as asked, and refuses silly counts', () => {
    assert.equal(generateRecoveryCodes(3).length, 3);
    assert.throws(() => generateRecoveryCodes(0), RangeError);
    assert.throws(() => generateRecoveryCodes(1.5), RangeError);
  });

  test('uses the whole alphabet, and never i, l, o or u', () => {
    const chars = new Set(generateRecoveryCodes(100).join('').replaceAll('-', ''));
    // 1,200 random characters from 32: every one appears unless the generator is badly biased.
    assert.equal(chars.size, 32);
    for (const c of 'ilou') assert.ok(!chars.has(c), c);
  });
});

describe('hashRecoveryCode', () => {
  test('is the SHA-256 hex of the code without its dashes', () => {
    // printf abcd0123wxyz | sha256sum
    assert.equal(
      hashRecoveryCode('abcd-0123-wxyz'),
      '5e31d9e8738f34f3d237b111cee25082daa04929eb9c790f64dbb4a75f1a87ac',
    );
  });

  test('forgives case, spaces, dashes and look-alike letters', () => {
    const stored = hashRecoveryCode('abcd-0123-wxyz');
    for (const typed of [
      'ABCD-0123-WXYZ',
      'abcd 0123 wxyz',
      ' abcd0123wxyz ',
      'abcd–o123–wxyz',
      'ABCD-OI23-WXYZ',
      'abcd-0l23-wxyz',
    ]) {
      assert.equal(hashRecoveryCode(typed), stored, typed);
    }
    assert.notEqual(hashRecoveryCode('abcd-0123-wxyy'), stored);
    assert.notEqual(hashRecoveryCode('abcd-0123-wxy'), stored);
  });
});

describe('matchRecoveryCode', () => {
  const codes = generateRecoveryCodes();
  const hashes = codes.map(hashRecoveryCode);

  test('finds each code at its index, however it is typed', () => {
    codes.forEach((code, i) => assert.equal(matchRecoveryCode(code, hashes), i));
    assert.equal(matchRecoveryCode((codes[4] ?? '').toUpperCase().replaceAll('-', ' '), hashes), 4);
  });

  test('answers -1 for a code that is not among the hashes', () => {
    const other = generateRecoveryCodes(1)[0] ?? '';
    assert.equal(matchRecoveryCode(other, hashes), -1);
    assert.equal(matchRecoveryCode(codes[0] ?? '', hashes.slice(1)), -1, 'a used code, left out of the list');
    assert.equal(matchRecoveryCode(codes[0] ?? '', []), -1);
  });

  test('answers -1 for malformed input, and skips malformed stored entries', () => {
    for (const typed of ['', 'abcd', `${codes[0] ?? ''}0`, '!!!!-!!!!-!!!!', 'uuuu-uuuu-uuuu']) {
      assert.equal(matchRecoveryCode(typed, hashes), -1, typed);
    }
    assert.equal(matchRecoveryCode(codes[1] ?? '', ['', 'not hex', hashes[1] ?? '']), 2);
  });
});
