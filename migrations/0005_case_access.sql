-- The anchor of all case data, and the database's half of the access policy.
-- The application filters every case query with the same rules (src/platform/access);
-- these row-level security policies are the second, independent layer, so a
-- forgotten filter returns nothing rather than another area's victims.

-- A case: a victim (with their perpetrators) in one MARAC area. The referral
-- issue adds the people and referrals that hang off it.
create table marac_case (
  id uuid primary key default gen_random_uuid(),
  area_id uuid not null references marac_area (id),
  created_at timestamptz not null default now()
);
create index marac_case_area_idx on marac_case (area_id);

-- Agencies with a need to know about a case: invited to a meeting that lists it,
-- or owning an action on it. Later issues write these rows from meetings and actions.
create table case_agency (
  case_id uuid not null references marac_case (id) on delete cascade,
  agency_id uuid not null references agency (id),
  reason text not null check (reason in ('meeting_invitation', 'action_owner', 'referrer')),
  primary key (case_id, agency_id, reason)
);
create index case_agency_agency_idx on case_agency (agency_id);

-- A user barred from a case (a conflict of interest, e.g. they know the family).
-- An exclusion beats every other grant.
create table case_exclusion (
  case_id uuid not null references marac_case (id) on delete cascade,
  user_id uuid not null references app_user (id) on delete cascade,
  reason text not null check (length(reason) between 1 and 500),
  created_by uuid references app_user (id),
  created_at timestamptz not null default now(),
  primary key (case_id, user_id)
);
create index case_exclusion_user_idx on case_exclusion (user_id);

-- The acting user, set per transaction by the application (withTransaction).
create function marac_actor() returns uuid
  language sql stable
  as $$ select nullif(current_setting('marac.actor_id', true), '')::uuid $$;

-- May the acting user see this case? Coordinators, chairs and IDVAs of the
-- case's area see its cases; an agency representative sees a case their agency
-- has a need to know about; nobody sees a case they are excluded from.
-- Analysts, system administrators and information-governance officers see none.
-- SECURITY DEFINER so its own reads of membership, case_agency and
-- case_exclusion are not themselves filtered by row-level security (which
-- would recurse); it takes no input but the case and the transaction's actor.
create function marac_case_visible(p_case_id uuid, p_area_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select not exists (
             select 1 from case_exclusion e where e.case_id = p_case_id and e.user_id = marac_actor())
       and exists (
             select 1
               from membership m
               join app_user u on u.id = m.user_id and u.status = 'active'
              where m.user_id = marac_actor()
                and m.area_id = p_area_id
                and (m.role in ('coordinator', 'chair', 'idva')
                     or (m.role = 'agency_representative'
                         and exists (select 1 from case_agency ca
                                      where ca.case_id = p_case_id and ca.agency_id = u.agency_id))))
  $$;

alter table marac_case enable row level security;
alter table case_agency enable row level security;
alter table case_exclusion enable row level security;

create policy marac_case_visible on marac_case to marac_app
  using (marac_case_visible(id, area_id));
create policy case_agency_visible on case_agency to marac_app
  using (exists (select 1 from marac_case c where c.id = case_id));
-- Exclusions are read by the coordinators of a case they can see.
create policy case_exclusion_coordinator on case_exclusion to marac_app
  using (exists (select 1 from marac_case c
                  join membership m on m.area_id = c.area_id and m.role = 'coordinator'
                 where c.id = case_id and m.user_id = marac_actor()));

grant select, insert, update, delete on marac_case, case_agency, case_exclusion to marac_app;
