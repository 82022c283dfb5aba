import QRCode from 'qrcode';

export const QR_LABEL = 'QR code for your authenticator app';

// Only what the qrcode package's SVG renderer is known to produce: presentation attributes, no style attribute or
// element, no script, no event handlers, no links. The page's CSP forbids inline styles and scripts, so anything
// else would be blocked in the browser; failing here instead makes a changed renderer show up in tests.
const FORBIDDEN = /style|script|\son[a-z]+\s*=|href|foreignObject/i;

/**
 * Renders the otpauth URI as an SVG QR code to embed inline in a page: drawn on the server, so the secret never goes
 * to a third-party QR service or into a URL. Medium error correction and the standard four-module quiet zone keep it
 * readable on a dim or scratched screen. It is labelled for screen readers; the page must also show the secret as
 * text for people who cannot scan it.
 */
export async function totpQrSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 240 });
  if (!svg.startsWith('<svg ') || FORBIDDEN.test(svg)) {
    throw new Error('The QR code renderer produced SVG that is not safe to embed');
  }
  return svg
    .trim()
    .replace('<svg ', `<svg role="img" aria-label="${QR_LABEL}" focusable="false" `)
    .replace(/^(<svg [^>]*>)/, `$1<title>${QR_LABEL}</title>`);
}
