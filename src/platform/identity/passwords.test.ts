import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { describe, test } from 'node:test';
import {
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  normalisePassword,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.ts';

// Known answers from the Argon2 reference implementation's tests (phc-winner-argon2, src/test.c), with parameters
// other than ours: verifying them shows the parameters are read from the stored string.
const REFERENCE = [
  '$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc',
  '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
];

const fromB64 = (s: string) => Buffer.from(s, 'base64');

describe('hashPassword', () => {
  test('produces an Argon2id PHC string with the OWASP parameters, a 16-byte salt and a 32-byte tag', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const m = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
    assert.ok(m, stored);
    assert.equal(fromB64(m[1] ?? '').length, 16);
    assert.equal(fromB64(m[2] ?? '').length, 32);
  });

  test('salts every hash, so the same password hashes differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same password twice'), hashPassword('same password twice')]);
    assert.notEqual(a, b);
  });
});

describe('verifyPassword', () => {
  test('accepts the password that was hashed and refuses others', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword(stored, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(stored, 'correct horse battery stapl'), false);
    assert.equal(await verifyPassword(stored, 'Correct horse battery staple'), false);
    assert.equal(await verifyPassword(stored, ''), false);
  });

  test('reads the parameters from the stored string (reference implementation vectors)', async () => {
    for (const stored of REFERENCE) {
      assert.equal(await verifyPassword(stored, 'password'), true, stored);
      assert.equal(await verifyPassword(stored, 'passwore'), false, stored);
    }
  });

  test('refuses a hash whose tag or salt has been altered', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [, , , params, salt = '', tag = ''] = stored.split('$');
    const flip = (s: string) => (s.startsWith('A') ? 'B' : 'A') + s.slice(1);
    for (const altered of [
      `$argon2id$v=19$${params}$${flip(salt)}$${tag}`,
      `$argon2id$v=19$${params}$${salt}$${flip(tag)}`,
    ]) {
      assert.equal(needsRehash(altered), false, 'still a well-formed hash with today’s parameters');
      assert.equal(await verifyPassword(altered, 'correct horse battery staple'), false);
    }
  });

  test('treats differently encoded forms of the same text as the same password (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait each morning');
    assert.equal(await verifyPassword(stored, 'cafe\u0301 au lait each morning'), true);
    const wide = await hashPassword('\uff30\uff41\uff53\uff53 phrase for work');
    assert.equal(await verifyPassword(wide, 'Pass phrase for work'), true);
    assert.equal(await verifyPassword(wide, 'pass phrase for work'), false);
  });

  test('answers false, without throwing, for strings it cannot read', async () => {
    const good = REFERENCE[0] ?? '';
    const malformed = [
      '',
      'password',
      '$2b$12$C6UzMDM.H6dfI/f/IKxGhuFG2Uy8SfqEcPWQ0h2DHUDaVLn9Nk3Wq', // bcrypt
      good.replace('$argon2id$', '$argon2i$'),
      good.replace('$v=19$', '$v=16$'),
      good.replace('$v=19$', '$'),
      good.replace('m=256,t=2,p=2', 't=2,m=256,p=2'),
      good.replace('m=256', 'm=0'),
      good.replace('p=2', 'p=0'),
      good.replace('m=256', 'm=08'),
      good.replace('m=256', 'm=15'), // less than 8 KiB per lane
      good.replace('m=256', 'm=99999999999'), // absurd memory from a damaged row
      good.replace('t=2', 't=1000000'),
      good.replace('p=2', 'p=64'),
      good.replace('c29tZXNhbHQ', 'c29tZQ'), // 4-byte salt
      good.replace('c29tZXNhbHQ', 'c29tZXNhbHQ='), // padded
      good.replace('c29tZXNhbHQ', 'c29t*XNhbHQ'),
      good.replace('c29tZXNhbHQ', 'c29tZXNhbHR'), // not canonical: stray low bits
      good.replace(/\$[^$]+$/, '$AAAAAAAAAAA'), // 8-byte tag
      `${good}\n`,
      `${good}$extra`,
    ];
    for (const stored of malformed) {
      assert.equal(await verifyPassword(stored, 'password'), false, JSON.stringify(stored));
    }
  });
});

describe('needsRehash', () => {
  test('is false for a hash made today', async () => {
    assert.equal(needsRehash(await hashPassword('a perfectly good passphrase')), false);
  });

  test('is true for other parameters, a short tag, or a string that cannot be read', async () => {
    const today = await hashPassword('a perfectly good passphrase');
    assert.equal(needsRehash(today.replace('t=2', 't=3')), true);
    assert.equal(needsRehash(today.replace('m=19456', 'm=65536')), true);
    for (const stored of REFERENCE) assert.equal(needsRehash(stored), true);
    assert.equal(needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$bQk8UB/VmZZF4Oo79iDXuA'), true);
    assert.equal(needsRehash(''), true);
    assert.equal(needsRehash('$2b$12$C6UzMDM.H6dfI/f/IKxGhuFG2Uy8SfqEcPWQ0h2DHUDaVLn9Nk3Wq'), true);
  });
});

describe('the dummy hash', () => {
  test('has today’s parameters, so checking against it costs what a real check costs', () => {
    // needsRehash is false only for a readable hash with the current parameters: one that verifyPassword derives
    // in full rather than refusing early.
    assert.equal(needsRehash(DUMMY_HASH), false);
  });

  test('verifyAgainstDummy runs one Argon2 derivation, as a real check does', async () => {
    // Counts node:crypto's Argon2 jobs, so the test sees the work done without timing anything.
    const argon2Runs = async (work: () => Promise<unknown>) => {
      let runs = 0;
      const hook = createHook({ init: (_id, type) => void (type === 'ARGON2REQUEST' && runs++) }).enable();
      try {
        await work();
      } finally {
        hook.disable();
      }
      return runs;
    };
    assert.equal(await argon2Runs(() => verifyAgainstDummy('who am I')), 1);
    assert.equal(await argon2Runs(() => verifyPassword(DUMMY_HASH, 'who am I')), 1);
    assert.equal(await argon2Runs(() => verifyPassword('not a hash', 'who am I')), 0);
  });

  test('verifyAgainstDummy answers false', async () => {
    assert.equal(await verifyAgainstDummy('anything at all'), false);
    assert.equal(await verifyAgainstDummy(''), false);
  });
});

describe('normalisePassword', () => {
  test('applies NFKC and keeps whitespace', () => {
    assert.equal(normalisePassword('cafe\u0301'), 'caf\u00e9');
    assert.equal(normalisePassword('\uff21\uff22\uff23'), 'ABC');
    assert.equal(normalisePassword(' two  spaces '), ' two  spaces ');
  });
});
