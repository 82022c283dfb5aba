import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { areasWhere } from './actor.ts';

/**
 * "The cases this actor may see", as one SQL predicate over `marac_case`.
 * Every query that reads case data goes through it; row-level security in
 * the database enforces the same rules a second time. Deliberate bypasses
 * must be named unsafe… and are rare.
 *
 * Coordinators, chairs and IDVAs see their areas' cases; an agency
 * representative sees a case their agency has a need to know about (invited to
 * a meeting that lists it, or owning an action on it); an exclusion beats all.
 */
export function visibleCases(actor: Actor | null) {
  return (eb: ExpressionBuilder<Schema, 'marac_case'>): Expression<SqlBool> => {
    if (!actor) return sql<boolean>`false`;
    const wholeArea = areasWhere(actor, 'coordinator', 'chair', 'idva');
    const representing = areasWhere(actor, 'agency_representative');
    const grants: Expression<SqlBool>[] = [];
    if (wholeArea.length) grants.push(eb('marac_case.area_id', 'in', wholeArea));
    if (representing.length && actor.agencyId) {
      grants.push(
        eb.and([
          eb('marac_case.area_id', 'in', representing),
          eb.exists(
            eb
              .selectFrom('case_agency')
              .select(sql`1`.as('one'))
              .whereRef('case_agency.case_id', '=', 'marac_case.id')
              .where('case_agency.agency_id', '=', actor.agencyId),
          ),
        ]),
      );
    }
    if (!grants.length) return sql<boolean>`false`;
    return eb.and([
      eb.or(grants),
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_exclusion')
            .select(sql`1`.as('one'))
            .whereRef('case_exclusion.case_id', '=', 'marac_case.id')
            .where('case_exclusion.user_id', '=', actor.userId),
        ),
      ),
    ]);
  };
}
