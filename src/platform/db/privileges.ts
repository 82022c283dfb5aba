import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export class PrivilegeError extends Error {
  override name = 'PrivilegeError';
}

/**
 * On a PostgreSQL server the application must connect as a role that row-level
 * security binds: not a superuser, not BYPASSRLS, and owning no table (owners
 * skip RLS). Start-up refuses anything else, so a misconfigured deployment
 * fails loudly instead of silently losing the database's second line of defence.
 */
export async function assertLeastPrivilege(db: Kysely<Schema>): Promise<void> {
  const { rows } = await sql<{ name: string; superuser: boolean; bypassrls: boolean; owned: number }>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
           (select count(*)::int from pg_class c
             where c.relowner = r.oid and c.relkind in ('r', 'p', 'v', 'm')
               and c.relnamespace = 'public'::regnamespace) as owned
      from pg_roles r where r.rolname = current_user`.execute(db);
  const role = rows[0];
  if (!role) throw new PrivilegeError('Cannot read the database role this connection uses.');
  const problems = [
    role.superuser && 'is a superuser',
    role.bypassrls && 'has BYPASSRLS',
    role.owned > 0 && `owns ${role.owned} table(s)`,
  ].filter(Boolean);
  if (problems.length) {
    throw new PrivilegeError(
      `DATABASE_URL connects as "${role.name}", which ${problems.join(', ')}: row-level security would not bind it. ` +
        'Connect the application as marac_app (created by the migrations) and give the owner to DATABASE_OWNER_URL, ' +
        'e.g. DATABASE_URL=postgres://marac_app@127.0.0.1:5432/marac DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:5432/marac',
    );
  }
}
