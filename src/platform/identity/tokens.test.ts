import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashToken, isWellFormedToken, newToken } from './tokens.ts';

describe('newToken', () => {
  test('is 32 random bytes as base64url', () => {
    const token = newToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.equal(isWellFormedToken(token), true);
  });

  test('is different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newToken));
    assert.equal(tokens.size, 100);
  });
});

describe('hashToken', () => {
  test('is the SHA-256 hex of the token', () => {
    // printf abc | sha256sum (FIPS 180-2 example)
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('differs for different tokens and never contains the token', () => {
    const token = newToken();
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    assert.equal(hashToken(token), hashToken(token));
    assert.notEqual(hashToken(token), hashToken(newToken()));
    assert.ok(!hashToken(token).includes(token));
  });
});

describe('isWellFormedToken', () => {
  test('refuses anything newToken could not have made', () => {
    const token = newToken();
    for (const bad of [
      '',
      token.slice(1),
      `${token}A`,
      `${token.slice(1)}=`,
      `${token.slice(1)}+`,
      `${token.slice(1)}/`,
      ` ${token.slice(1)}`,
    ]) {
      assert.equal(isWellFormedToken(bad), false, bad);
    }
  });
});
