import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyView from '@fastify/view';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { ASSET_PATH } from './static-assets.ts';

const require = createRequire(import.meta.url);
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const src = new URL('../../', import.meta.url).pathname;

declare module 'fastify' {
  interface FastifyReply {
    /** Per-request template values, merged by @fastify/view into every page. */
    locals: Record<string, unknown> | null;
  }
}

export type ViewOptions = {
  protectiveMarking: string;
  phase: 'alpha' | 'beta';
  /** True when the embedded database is in use: every page says "Demo — do not enter real data". */
  demo: boolean;
  /** Features' own template filters (each returns plain values; autoescaping still applies to what they give). */
  filters?: Record<string, (...args: never[]) => unknown>;
};

// Dates as people in the UK write them, in UK time: "23 November 2026, 18:05" and "23 November 2026".
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' });

/** A Date, or a 'YYYY-MM-DD' calendar date, as "3 April 1985". */
export function ukDate(value: unknown): string {
  if (value instanceof Date) return DATE.format(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return DATE.format(new Date(`${value}T12:00:00Z`));
  }
  return '';
}

/**
 * Nunjucks with govuk-frontend's macros. Templates are found by path from
 * src/ ("features/start/start.njk", "platform/views/layout.njk").
 * Autoescaping stays on: user text must never pass through `| safe`.
 */
export const views = fp<ViewOptions>(async (app, options) => {
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [src, govukDist],
    options: {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('ukDateTime', (value: unknown) => (value instanceof Date ? DATE_TIME.format(value) : ''));
        env.addFilter('ukDate', (value: unknown) => ukDate(value));
        for (const [name, filter] of Object.entries(options.filters ?? {})) {
          env.addFilter(name, filter as (...args: unknown[]) => unknown);
        }
      },
    },
    defaultContext: {
      serviceName: 'Open MARAC',
      serviceUrl: '/',
      assetPath: ASSET_PATH,
      protectiveMarking: options.protectiveMarking,
      phase: options.phase,
      demo: options.demo,
    },
  });

  // govuk-frontend's template adds the nonce to its one inline script.
  app.addHook('onRequest', async (_request, reply) => {
    reply.locals = { cspNonce: reply.cspNonce.script };
  });
});
