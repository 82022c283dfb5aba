-- The role every request runs as. On a PostgreSQL server the application logs
-- in as marac_app (give it a password, or make the login role a member of it);
-- every transaction also runs SET LOCAL ROLE marac_app, which is what applies
-- it on PGlite (always connected as superuser). marac_app owns nothing, is not
-- a superuser and cannot bypass row-level security, so RLS policies and the
-- audit trail's "insert only" grants hold even if application code forgets a
-- filter. Roles belong to the whole server, so another database may have made
-- it already.
do $$
begin
  if not exists (select from pg_roles where rolname = 'marac_app') then
    create role marac_app login nosuperuser nocreatedb nocreaterole nobypassrls;
  end if;
end
$$;

grant usage on schema public to marac_app;
grant select, insert, update, delete on marac_area, agency, area_agency to marac_app;
grant select on schema_migration to marac_app;
