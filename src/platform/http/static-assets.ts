import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);
const govukDir = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
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

export const staticAssets = fp(async (app) => {
  app.get(`${ASSET_PATH}/govuk-frontend.min.css`, async (_request, reply) =>
    reply.header('Cache-Control', LONG_CACHE).type('text/css; charset=utf-8').send(css),
  );

  const options = {
    cacheControl: false,
    etag: true,
    lastModified: false,
    setHeaders: (reply: FastifyReply) => void reply.header('Cache-Control', LONG_CACHE),
  };
  // Fonts, images and the web manifest.
  await app.register(fastifyStatic, { ...options, root: join(govukDir, 'assets'), prefix: `${ASSET_PATH}/` });
  // govuk-frontend's JavaScript and our own progressive enhancements.
  await app.register(fastifyStatic, {
    ...options,
    root: [new URL('../../../public/', import.meta.url).pathname, govukDir],
    prefix: `${ASSET_PATH}/js/`,
    allowedPath: (path) => path.endsWith('.js') || path.endsWith('.mjs'),
    decorateReply: false,
  });
});
