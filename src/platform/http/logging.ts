import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyServerOptions, RawRequestDefaultExpression } from 'fastify';
import { pino, type DestinationStream } from 'pino';
import type { Config } from '../../config.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The one logger. Requests are logged as method and path only — no query
 * string, headers, cookies, bodies or client address — so no personal data
 * reaches the logs; errors lose their `detail`, and anything that still looks
 * like a secret is redacted.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): FastifyBaseLogger {
  return pino(
    {
      level: config.logLevel,
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: pathOnly(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        // PostgreSQL errors carry the offending values in `detail`; keep only what locates the fault.
        err: (err: Error & { code?: unknown }) => ({
          type: err.name,
          message: err.message,
          code: err.code,
          stack: err.stack,
        }),
      },
      redact: { paths: ['*.password', '*.token', '*.cookie', '*.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

/** Fastify options that put the request id (`reqId`) on every log line. */
export function loggingOptions(logger: FastifyBaseLogger): FastifyServerOptions {
  return {
    loggerInstance: logger,
    // Keep a load balancer's request id when it looks like one, so a request
    // can be followed across tiers; otherwise make our own.
    genReqId: (req: RawRequestDefaultExpression) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  };
}

export function pathOnly(url: string) {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
