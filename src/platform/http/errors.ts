import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The one error type features throw; the handler below maps it to a page or JSON. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const notFound = () => new AppError(404, 'not_found', 'Page not found');
export const forbiddenForm = () =>
  new AppError(403, 'csrf_failed', 'The form could not be accepted. Go back, refresh the page and try again.');

/**
 * Errors in one place. 404 looks the same whether nothing exists at a URL or
 * the user may not see it. A 500 shows a reference (the request id) and never
 * a stack trace; the detail goes to the log.
 */
export const errorPages = fp(async (app) => {
  app.setNotFoundHandler(async (request, reply) => respond(request, reply, notFound()));

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return respond(request, reply, error);
    const status = error.statusCode ?? 500;
    if (status === 403) {
      // @fastify/csrf-protection's own refusals (no secret cookie, bad token).
      return respond(request, reply, forbiddenForm());
    }
    if (status === 429) {
      return respond(
        request,
        reply,
        new AppError(429, 'too_many_requests', 'Too many attempts. Wait a few minutes, then try again.'),
      );
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed body, too large, bad content type.
      request.log.info({ code: error.code, statusCode: status }, 'client error');
      return respond(
        request,
        reply,
        new AppError(status, 'bad_request', 'The request could not be understood. Go back and try again.'),
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return respond(request, reply, new AppError(500, 'internal_error', 'Sorry, there is a problem with the service'));
  });
});

async function respond(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  reply.code(error.status).header('Cache-Control', 'no-store');
  if (wantsJson(request)) {
    return reply.send({ error: { code: error.code, message: error.message, requestId: request.id } });
  }
  const template = error.status === 404 ? 'not-found' : error.status >= 500 ? 'problem' : 'bad-request';
  return reply.view(`platform/views/errors/${template}.njk`, { requestId: request.id, message: error.message });
}

function wantsJson(request: FastifyRequest) {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
