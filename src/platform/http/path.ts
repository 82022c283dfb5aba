import type { FastifyRequest } from 'fastify';
import { isUuid } from '../ids.ts';
import { notFound } from './errors.ts';

/**
 * An id from the path, in PostgreSQL's spelling. Anything that is not a uuid answers like a missing page and never
 * reaches the database, which would reject it with an error (a 500) rather than find nothing.
 */
export function pathId(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (!isUuid(value)) throw notFound();
  return value.toLowerCase();
}
