import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import QRCode from 'qrcode';
import { QR_LABEL, totpQrSvg } from './qr.ts';

const URI =
  'otpauth://totp/Open%20MARAC:jane.smith%40example.org' +
  '?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Open%20MARAC&algorithm=SHA1&digits=6&period=30';
const MARGIN = 4;

// Reads back the dark modules from the renderer's path: "M x y" and "m dx dy" move, "h n" draws n modules on row y.
function darkModules(svg: string): { size: number; dark: Set<string> } {
  const viewBox = /viewBox="0 0 (\d+) \1"/.exec(svg);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg);
  assert.ok(viewBox && path, 'a square viewBox and one stroked path');
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, args = ''] of path[1]?.matchAll(/([A-Za-z])([^A-Za-z]*)/g) ?? []) {
    const n = args
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (command === 'M') [x, y] = [n[0] ?? NaN, n[1] ?? NaN];
    else if (command === 'm') [x, y] = [x + (n[0] ?? NaN), y + (n[1] ?? NaN)];
    else if (command === 'h') {
      for (let i = 0; i < (n[0] ?? 0); i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += n[0] ?? NaN;
    } else assert.fail(`unexpected path command ${command}`);
  }
  return { size: Number(viewBox[1]), dark };
}

describe('totpQrSvg', () => {
  test('is an SVG element labelled for assistive technology', async () => {
    const svg = await totpQrSvg(URI);
    assert.match(svg, /^<svg [^>]*role="img"[^>]*>/);
    assert.match(svg, new RegExp(`^<svg [^>]*aria-label="${QR_LABEL}"`));
    assert.match(svg, new RegExp(`^<svg [^>]*><title>${QR_LABEL}</title>`));
    assert.match(svg, /<\/svg>$/);
  });

  test('holds nothing a strict CSP would block, and not the secret as text', async () => {
    const svg = await totpQrSvg(URI);
    assert.doesNotMatch(svg, /style/i);
    assert.doesNotMatch(svg, /<script/i);
    assert.doesNotMatch(svg, /\son[a-z]+=/i);
    assert.doesNotMatch(svg, /JBSWY3DP|otpauth/);
  });

  test('draws exactly the QR code of the URI, at level M, with a four-module quiet zone', async () => {
    const svg = await totpQrSvg(URI);
    const expected = QRCode.create(URI, { errorCorrectionLevel: 'M' }).modules;
    const { size, dark } = darkModules(svg);
    assert.equal(size, expected.size + 2 * MARGIN);
    let count = 0;
    for (let row = 0; row < expected.size; row++) {
      for (let col = 0; col < expected.size; col++) {
        const isDark = expected.get(row, col) !== 0;
        if (isDark) count++;
        assert.equal(dark.has(`${col + MARGIN},${row + MARGIN}`), isDark, `module ${row},${col}`);
      }
    }
    assert.equal(dark.size, count, 'nothing drawn in the quiet zone');
  });

  test('differs for a different URI', async () => {
    const other = URI.replace('JBSWY3DP', 'KRUGS4ZA');
    assert.notEqual(await totpQrSvg(URI), await totpQrSvg(other));
  });
});
