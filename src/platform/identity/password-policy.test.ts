import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_PASSWORD_LENGTH,
  PASSWORD_MESSAGES as M,
  checkNewPassword,
  commonPasswords,
  isCommonPassword,
  normalisePassword,
} from './password-policy.ts';

const GOOD = 'lighthouse keeper by the sea';

describe('checkNewPassword: length', () => {
  test('asks for a password when there is none', () => {
    assert.deepEqual(checkNewPassword(''), [M.missing]);
  });

  test('needs 12 characters and takes 12', () => {
    assert.deepEqual(checkNewPassword('tulip kettl'), [M.tooShort]);
    assert.deepEqual(checkNewPassword('tulip kettle'), []);
  });

  test('counts characters as the user sees them, not UTF-16 units or combining marks', () => {
    // Six emoji are twelve UTF-16 units; six decomposed letters are twelve code points before NFKC.
    assert.deepEqual(checkNewPassword('🦊🐢🦉🐝🦔🐙'), [M.tooShort]);
    assert.deepEqual(checkNewPassword('e\u0301a\u0300o\u0302u\u0308i\u0301c\u0327'), [M.tooShort]);
  });

  test(`welcomes long passphrases up to ${MAX_PASSWORD_LENGTH} characters`, () => {
    const words = 'the quick brown fox jumps over the lazy dog while ';
    const long = words.repeat(6).slice(0, MAX_PASSWORD_LENGTH);
    assert.equal(long.length, MAX_PASSWORD_LENGTH);
    assert.deepEqual(checkNewPassword(long), []);
    assert.deepEqual(checkNewPassword(`${long}x`), [M.tooLong]);
  });

  test('has no composition rules: lower-case words alone are fine', () => {
    assert.deepEqual(checkNewPassword(GOOD), []);
    assert.deepEqual(checkNewPassword('plum orchard beneath hills'), []);
  });
});

describe('checkNewPassword: common and leaked passwords', () => {
  test('refuses listed passwords whatever their case, surrounding spaces or inner spaces', () => {
    for (const pw of ['password1234', 'Password1234', '  PASSWORD1234  ', '1qaz2wsx3edc', 'qwerty 123456']) {
      assert.deepEqual(checkNewPassword(pw), [M.common], pw);
    }
  });

  test('compares after NFKC, so full-width letters do not slip past', () => {
    assert.deepEqual(checkNewPassword('\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11\uff12\uff13\uff14'), [
      M.common,
    ]);
  });

  test('keeps only entries long enough to pass the length rule', () => {
    const list = commonPasswords();
    assert.ok(list.size > 40_000 && list.size < 50_000, `size ${list.size}`);
    for (const entry of list) assert.ok([...entry].length >= 12, entry);
    assert.equal(isCommonPassword('password'), false);
    assert.equal(isCommonPassword('password1234'), true);
    assert.equal(isCommonPassword(GOOD), false);
  });
});

describe('checkNewPassword: patterns', () => {
  test('refuses a repeated character, a sequence or a short pattern repeated', () => {
    for (const pw of [
      'aaaaaaaaaaaa',
      '            ',
      'aaaabbbbcccc',
      'abcabcabcabc',
      'tulipstulips',
      'abcdefghijklmn',
      'zyxwvutsrqpo',
      '123456abcdef',
      'tulip kettle tulip kettle',
    ]) {
      assert.ok(checkNewPassword(pw).includes(M.pattern), pw);
    }
  });

  test('accepts a longer phrase said twice', () => {
    assert.deepEqual(checkNewPassword('sunflower teapot sunflower teapot'), []);
  });
});

describe('checkNewPassword: personal details', () => {
  const email = 'Jane.Smith@Haringey.gov.uk';
  const name = 'Jane Smith';

  test('refuses the email address, or anything containing the part before the @', () => {
    assert.deepEqual(checkNewPassword('jane.smith@haringey.gov.uk', { email }), [M.email]);
    assert.deepEqual(checkNewPassword('jane.smith is my password', { email }), [M.email]);
    assert.deepEqual(checkNewPassword('JANESMITH forever and ever', { email }), [M.email]);
  });

  test('refuses a password built from the email address with little else', () => {
    assert.deepEqual(checkNewPassword('Haringey2024!!', { email }), [M.email]);
  });

  test('does not refuse a password for containing a very short local part', () => {
    assert.deepEqual(checkNewPassword('journey to the west coast', { email: 'jo@example.org' }), []);
  });

  test('refuses a password containing the name, or built from it', () => {
    assert.deepEqual(checkNewPassword('JaneSmith2024!', { name }), [M.name]);
    assert.deepEqual(checkNewPassword('I am jane smith, hello', { name }), [M.name]);
    assert.deepEqual(checkNewPassword('smith smith 1234', { name }), [M.name]);
    assert.deepEqual(checkNewPassword('José Álvarez 1999', { name: 'Jose Alvarez' }), [M.name]);
    assert.deepEqual(checkNewPassword('jose alvarez 1999', { name: 'José Álvarez' }), [M.name]);
  });

  test('accepts a passphrase that merely mentions a first name', () => {
    assert.deepEqual(checkNewPassword('Jane loves long walks by the river', { email, name }), []);
  });

  test('accepts good passwords for this user', () => {
    assert.deepEqual(checkNewPassword(GOOD, { email, name }), []);
  });
});

describe('checkNewPassword: the service name', () => {
  test('refuses the service name with little else', () => {
    for (const pw of ['Open MARAC 2024!', 'openmarac123456', 'marac marac marac', 'MARAC-1234-abcd']) {
      assert.ok(checkNewPassword(pw).includes(M.service), pw);
    }
  });

  test('accepts a real phrase that mentions it', () => {
    assert.deepEqual(checkNewPassword('marac meetings keep people safer'), []);
  });
});

describe('normalisePassword', () => {
  test('is exported here for callers of the policy', () => {
    assert.equal(normalisePassword('\uff21'), 'A');
  });
});
