import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateKeyring, keyringFromSettings } from '../../platform/crypto/keyring.ts';
import { postcodeKey } from './matching/postcode-key.ts';
import { addressPostcode, findPostcode, postcodeKeyFor } from './postcodes.ts';

describe('findPostcode', () => {
  test('finds the postcode in an address, in any case and spacing', () => {
    assert.equal(findPostcode('Flat 2, 14 Acacia Avenue, Leeds LS6 2AB'), 'LS6 2AB');
    assert.equal(findPostcode('ls62ab'), 'LS6 2AB');
    assert.equal(findPostcode('14 Acacia Avenue\nLeeds\nls6  2ab\n'), 'LS6 2AB');
    assert.equal(findPostcode('1 High St, London SW1A 1AA.'), 'SW1A 1AA');
    assert.equal(findPostcode('Piccadilly, Manchester (M1 1AE)'), 'M1 1AE');
    assert.equal(findPostcode('Girobank, GIR 0AA'), 'GIR 0AA');
  });

  test('takes the first of two postcodes', () => {
    assert.equal(findPostcode('Was at 3 Elm Road, M1 1AE; now 9 Oak Lane, LS6 2AB'), 'M1 1AE');
  });

  test('finds nothing without a whole valid postcode', () => {
    assert.equal(findPostcode('Flat 2, 14 Acacia Avenue, Leeds'), null);
    assert.equal(findPostcode('Leeds LS6'), null, 'an outward code alone');
    assert.equal(findPostcode('QS6 2AB'), null, 'Q never starts a postcode');
    assert.equal(findPostcode('LS6 2CB'), null, 'C is never a unit letter');
    assert.equal(findPostcode('XLS6 2AB'), null, 'inside a longer word');
    assert.equal(findPostcode('LS6 2ABC'), null);
    assert.equal(findPostcode('LS6\n2AB'), null, 'split across lines');
    assert.equal(findPostcode(''), null);
    assert.equal(findPostcode(null), null);
    assert.equal(findPostcode(undefined), null);
  });

  test('skips a near miss and finds a later postcode', () => {
    assert.equal(findPostcode('Ref QS6 2AB, 14 Acacia Avenue, LS6 2AB'), 'LS6 2AB');
  });
});

describe('postcodeKeyFor', () => {
  const secret = randomBytes(32);
  const keyring = keyringFromSettings({
    MARAC_KEYS: `1:${randomBytes(32).toString('base64')}`,
    MARAC_INDEX_KEY: secret.toString('base64'),
  })!;

  test('is postcodeKey() under the keyring’s matching index key', () => {
    for (const postcode of ['LS6 2AB', 'ls62ab', ' Ls6  2aB ', 'GIR 0AA', 'SW1A 1AA']) {
      assert.equal(postcodeKeyFor(keyring, postcode), postcodeKey(secret, postcode));
    }
  });

  test('the same postcode with or without spaces, in any case, has one key; another postcode another', () => {
    const key = postcodeKeyFor(keyring, 'LS6 2AB');
    assert.match(key!, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(postcodeKeyFor(keyring, 'ls62ab'), key);
    assert.equal(postcodeKeyFor(keyring, 'ls6 2ab'), key);
    assert.notEqual(postcodeKeyFor(keyring, 'LS6 2AD'), key);
  });

  test('another index key gives another key', () => {
    assert.notEqual(postcodeKeyFor(generateKeyring(), 'LS6 2AB'), postcodeKeyFor(keyring, 'LS6 2AB'));
  });

  test('no key for an outward code alone, a non-postcode, or a keyring without an index key', () => {
    assert.equal(postcodeKeyFor(keyring, 'LS6'), null);
    assert.equal(postcodeKeyFor(keyring, 'not a postcode'), null);
    assert.equal(postcodeKeyFor(keyring, null), null);
    const withoutIndex = keyringFromSettings({ MARAC_KEYS: `1:${randomBytes(32).toString('base64')}` })!;
    assert.equal(postcodeKeyFor(withoutIndex, 'LS6 2AB'), null);
  });

  test('addressPostcode gives the postcode and its key, or neither', () => {
    assert.deepEqual(addressPostcode(keyring, 'Flat 2, 14 Acacia Avenue, Leeds LS6 2AB'), {
      postcode: 'LS6 2AB',
      postcodeKey: postcodeKey(secret, 'LS6 2AB'),
    });
    assert.deepEqual(addressPostcode(keyring, 'Flat 2, 14 Acacia Avenue, Leeds'), {
      postcode: null,
      postcodeKey: null,
    });
  });
});
