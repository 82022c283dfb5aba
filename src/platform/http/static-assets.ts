import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);
const govukDir = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
const publicDir = new URL('../../../public/', import.meta.url).pathname;
const govukVersion = (
  JSON.parse(readFileSync(join(govukDir, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;
const appVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Every asset URL carries the versions of govuk-frontend and of Open MARAC, so
 * an upgrade changes the URL and browsers may keep a file for a year unasked.
 */
export const ASSET_PATH = `/assets/${govukVersion}-${appVersion}`;
const LONG_CACHE = 'public, max-age=31536000, immutable';

// govuk-frontend's compiled CSS points at /assets/fonts and /assets/images;
// point it at the versioned path instead. Done once, at start-up.
const css = readFileSync(join(govukDir, 'govuk-frontend.min.css'), 'utf8')
  .replaceAll('url(/assets/', `url(${ASSET_PATH}/`)
  .replace(/\/\*# sourceMappingURL=.*\*\/\s*$/, '');

/**
 * One public route serves every asset: govuk-frontend's stylesheet, fonts,
 * images (/…) and JavaScript (/js/…), and our own files in public/ (/app/…). `send` (through
 * @fastify/static's sendFile) keeps every path inside its root.
 */
export const staticAssets = fp(async (app) => {
  await app.register(fastifyStatic, { root: join(govukDir, 'assets'), serve: false });

  app.get(`${ASSET_PATH}/*`, { config: { permission: 'public', audit: null } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (path.includes('..') || path.includes('\0')) return reply.callNotFound();
    reply.header('Cache-Control', LONG_CACHE);
    if (path === 'govuk-frontend.min.css') return reply.type('text/css; charset=utf-8').send(css);
    const options = { cacheControl: false, lastModified: false, etag: true };
    if (path.startsWith('js/')) {
      const file = path.slice(3);
      return /^[\w.-]+\.m?js$/.test(file) ? reply.sendFile(file, govukDir, options) : reply.callNotFound();
    }
    if (path.startsWith('app/')) {
      const file = path.slice(4);
      return /^[\w.-]+\.(mjs|css)$/.test(file) ? reply.sendFile(file, publicDir, options) : reply.callNotFound();
    }
    return reply.sendFile(path, join(govukDir, 'assets'), options);
  });
});
