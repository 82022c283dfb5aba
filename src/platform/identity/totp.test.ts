import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base32Decode, base32Encode } from './base32.ts';
import { generateTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B, SHA-1 column: the secret is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const STEP_MS = 30_000;
const NOW = 1_750_000_000_000;
// A fixed secret keeps these tests deterministic; the first test checks the codes near NOW are all different, so a
// code refused below is refused for its step, not by a coincidence.
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const OTHER_SECRET = 'KRUGS4ZANFZSAYLON52GQZLSEBZWKY3S';
const codeAt = (offsetSteps: number) => totpCode(SECRET, NOW + offsetSteps * STEP_MS);

describe('totpCode', () => {
  test('matches the RFC 6238 SHA-1 test vectors', () => {
    assert.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    for (const [seconds, code] of RFC_VECTORS) {
      assert.equal(totpCode(RFC_SECRET, seconds * 1000, 8), code, String(seconds));
      assert.equal(totpCode(RFC_SECRET, seconds * 1000), code.slice(2), `${seconds}, 6 digits`);
    }
  });

  test('changes at step boundaries and not within a step', () => {
    assert.equal(totpStep(59_999), 1);
    assert.equal(totpStep(60_000), 2);
    assert.equal(totpCode(RFC_SECRET, 30_000), totpCode(RFC_SECRET, 59_999));
    assert.notEqual(totpCode(RFC_SECRET, 59_999), totpCode(RFC_SECRET, 60_000));
  });

  test('reads the secret whatever its case or spacing', () => {
    const spaced = RFC_SECRET.toLowerCase().replace(/(.{4})/g, '$1 ');
    assert.equal(totpCode(spaced, 59_000, 8), '94287082');
  });

  test('refuses a secret that is not base32 or is shorter than 128 bits, bad times and digit counts', () => {
    assert.throws(() => totpCode('NOT-BASE32!', NOW), /Not base32/);
    assert.throws(() => totpCode(base32Encode(Buffer.alloc(15, 1)), NOW), /too short/);
    assert.throws(() => totpCode(SECRET, -1), RangeError);
    assert.throws(() => totpCode(SECRET, Number.NaN), RangeError);
    assert.throws(() => totpCode(SECRET, NOW, 5), RangeError);
    assert.throws(() => totpCode(SECRET, NOW, 9), RangeError);
  });
});

describe('generateTotpSecret', () => {
  test('gives 20 random bytes as unpadded base32', () => {
    const a = generateTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(a).length, 20);
    assert.notEqual(a, generateTotpSecret());
  });
});

describe('verifyTotp', () => {
  test('(the codes around the test time are all different)', () => {
    const codes = [-2, -1, 0, 1, 2].map(codeAt);
    assert.equal(new Set(codes).size, 5, codes.join());
    assert.ok(!codes.includes(totpCode(OTHER_SECRET, NOW)));
  });

  test('accepts the current code and answers its step', () => {
    assert.deepEqual(verifyTotp(SECRET, codeAt(0), NOW), { ok: true, step: totpStep(NOW) });
  });

  test('accepts one step either side by default, and no further', () => {
    assert.deepEqual(verifyTotp(SECRET, codeAt(-1), NOW), { ok: true, step: totpStep(NOW) - 1 });
    assert.deepEqual(verifyTotp(SECRET, codeAt(1), NOW), { ok: true, step: totpStep(NOW) + 1 });
    assert.deepEqual(verifyTotp(SECRET, codeAt(-2), NOW), { ok: false });
    assert.deepEqual(verifyTotp(SECRET, codeAt(2), NOW), { ok: false });
  });

  test('with window 0 accepts only the current step', () => {
    assert.equal(verifyTotp(SECRET, codeAt(0), NOW, { window: 0 }).ok, true);
    assert.deepEqual(verifyTotp(SECRET, codeAt(1), NOW, { window: 0 }), { ok: false });
    assert.deepEqual(verifyTotp(SECRET, codeAt(-1), NOW, { window: 0 }), { ok: false });
  });

  test('refuses a code already used, and any code from an earlier step', () => {
    const result = verifyTotp(SECRET, codeAt(0), NOW);
    assert.ok(result.ok);
    const lastUsedStep = result.step;
    assert.deepEqual(verifyTotp(SECRET, codeAt(0), NOW, { lastUsedStep }), { ok: false });
    assert.deepEqual(verifyTotp(SECRET, codeAt(-1), NOW, { lastUsedStep }), { ok: false });
    assert.deepEqual(verifyTotp(SECRET, codeAt(0), NOW, { lastUsedStep: lastUsedStep - 1 }), result);
    assert.deepEqual(verifyTotp(SECRET, codeAt(1), NOW, { lastUsedStep }), { ok: true, step: lastUsedStep + 1 });
  });

  test('refuses a wrong code, and a code made with another secret', () => {
    const code = codeAt(0);
    const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
    assert.ok(![-1, 0, 1].map(codeAt).includes(wrong), 'the altered code is not in the window by chance');
    assert.deepEqual(verifyTotp(SECRET, wrong, NOW), { ok: false });
    assert.deepEqual(verifyTotp(OTHER_SECRET, code, NOW, { window: 0 }), { ok: false });
  });

  test('ignores spaces in the typed code', () => {
    const code = codeAt(0);
    for (const typed of [`${code.slice(0, 3)} ${code.slice(3)}`, ` ${code} `, code.split('').join(' ')]) {
      assert.equal(verifyTotp(SECRET, typed, NOW).ok, true, JSON.stringify(typed));
    }
  });

  test('refuses anything that is not exactly the digits', () => {
    const code = codeAt(0);
    const fullWidth = [...code].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');
    for (const typed of [
      '',
      code.slice(0, 5),
      `${code}0`,
      `${code.slice(0, 5)}a`,
      `+${code.slice(1)}`,
      `${code.slice(0, 3)}-${code.slice(3)}`,
      fullWidth,
      `${code}\u0000`,
    ]) {
      assert.deepEqual(verifyTotp(SECRET, typed, NOW), { ok: false }, JSON.stringify(typed));
    }
  });

  test('checks 8-digit codes when asked (RFC 6238 vectors)', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      assert.deepEqual(verifyTotp(RFC_SECRET, code, seconds * 1000, { digits: 8, window: 0 }), {
        ok: true,
        step: Math.floor(seconds / 30),
      });
    }
  });

  test('refuses a window outside 0 to 10', () => {
    assert.throws(() => verifyTotp(SECRET, codeAt(0), NOW, { window: -1 }), RangeError);
    assert.throws(() => verifyTotp(SECRET, codeAt(0), NOW, { window: 11 }), RangeError);
    assert.throws(() => verifyTotp(SECRET, codeAt(0), NOW, { window: 1.5 }), RangeError);
  });
});

describe('otpauthUri', () => {
  test('percent-encodes the label and issuer and carries the parameters', () => {
    const uri = otpauthUri({ secret: RFC_SECRET, accountName: 'jane.smith+marac@example.org' });
    assert.equal(
      uri,
      'otpauth://totp/Open%20MARAC:jane.smith%2Bmarac%40example.org' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Open%20MARAC&algorithm=SHA1&digits=6&period=30',
    );
    const parsed = new URL(uri);
    assert.equal(parsed.searchParams.get('issuer'), 'Open MARAC');
    assert.equal(parsed.searchParams.get('secret'), RFC_SECRET);
  });

  test('encodes non-ASCII names as UTF-8 and writes the secret in canonical form', () => {
    const uri = otpauthUri({ secret: RFC_SECRET.toLowerCase(), accountName: 'Siân Jones', issuer: 'Gwent MARAC' });
    assert.ok(uri.startsWith('otpauth://totp/Gwent%20MARAC:Si%C3%A2n%20Jones?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'));
    assert.ok(uri.includes('&issuer=Gwent%20MARAC&'));
  });

  test('refuses a colon in the issuer or account, and a bad secret', () => {
    assert.throws(() => otpauthUri({ secret: RFC_SECRET, accountName: 'a:b' }), /":"/);
    assert.throws(() => otpauthUri({ secret: RFC_SECRET, accountName: 'jane', issuer: 'x:y' }), /":"/);
    assert.throws(() => otpauthUri({ secret: 'not base32!', accountName: 'jane' }), /Not base32/);
  });
});
