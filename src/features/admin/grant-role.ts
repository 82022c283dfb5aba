import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AreaRole } from '../../platform/access/actor.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { notFound } from '../../platform/http/errors.ts';
import { addMembership, removeMembership } from './commands.ts';
import { membershipSubject } from './ids.ts';

/** Gives a user a role in an area, audited with the route's action; false when they already hold it. */
export async function grantRole(
  db: Kysely<Schema>,
  request: FastifyRequest,
  userId: string,
  areaId: string,
  role: AreaRole,
) {
  return withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
    if (!(await addMembership(trx, userId, areaId, role))) return false;
    await request.audit(trx, {
      subjectType: 'membership',
      subjectId: membershipSubject(userId, areaId, role),
      outcome: 'success',
    });
    return true;
  });
}

/** Takes a role away, audited with the route's action; a role the user does not hold in that area is a missing page. */
export async function revokeRole(
  db: Kysely<Schema>,
  request: FastifyRequest,
  userId: string,
  areaId: string,
  role: AreaRole,
) {
  await withTransaction(db, { requestId: request.id, actorId: request.actor!.userId }, async (trx) => {
    if (!(await removeMembership(trx, userId, areaId, role))) throw notFound();
    await request.audit(trx, {
      subjectType: 'membership',
      subjectId: membershipSubject(userId, areaId, role),
      outcome: 'success',
    });
  });
}
