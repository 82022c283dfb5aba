import type { FastifyRequest } from 'fastify';
import { AREA_ROLES, type AreaRole } from '../../platform/access/actor.ts';
import { notFound } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';

export { isUuid };

export { pathId } from '../../platform/http/path.ts';

export function isAreaRole(value: unknown): value is AreaRole {
  return typeof value === 'string' && Object.hasOwn(AREA_ROLES, value);
}

/** An area role from the path; an unknown one is a missing page. */
export function pathRole(request: FastifyRequest): AreaRole {
  const value = (request.params as Record<string, unknown>).role;
  if (!isAreaRole(value)) throw notFound();
  return value;
}

/** PostgreSQL's "unique_violation", raised when two people add the same name at the same moment. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** The audit subject id of a role in an area: ids and a code, never a name. */
export const membershipSubject = (userId: string, areaId: string, role: AreaRole) => `${userId}:${areaId}:${role}`;
