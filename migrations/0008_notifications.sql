-- In-app notifications (src/features/notifications). A notification names a
-- kind and a referral, never a person: the words are made when it is shown,
-- so nothing personal is stored here or could reach an email later.

create table notification (
  id uuid primary key,
  user_id uuid not null references app_user (id),
  area_id uuid not null references marac_area (id),
  kind text not null check (kind in ('referral_submitted', 'referral_resubmitted', 'information_requested',
                                     'referral_accepted', 'referral_rejected', 'referral_transferred_in')),
  referral_id uuid not null references referral (id) on delete cascade,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notification_user_idx on notification (user_id, created_at desc);

alter table notification enable row level security;

-- Each user sees and marks only their own.
create policy notification_own on notification to marac_app
  using (user_id = marac_actor());

-- Notifies the active holders of these roles in the area, except anyone barred
-- from the referral's case and the acting user. SECURITY DEFINER: a referrer
-- may notify the area's coordinators without reading who they are.
create function marac_notify_area(p_area_id uuid, p_roles text[], p_kind text, p_referral_id uuid)
  returns integer
  language sql volatile security definer
  set search_path = public, pg_temp
  as $$
    with sent as (
      insert into notification (id, user_id, area_id, kind, referral_id)
      select distinct on (u.id) gen_random_uuid(), u.id, p_area_id, p_kind, p_referral_id
        from membership m
        join app_user u on u.id = m.user_id and u.status = 'active'
        join referral r on r.id = p_referral_id
       where m.area_id = p_area_id
         and m.role = any (p_roles)
         and u.id is distinct from marac_actor()
         and not exists (select 1 from case_exclusion e where e.case_id = r.case_id and e.user_id = u.id)
         -- Only someone allowed to see the referral may raise a notification about it.
         and (r.referrer_user_id = marac_actor() or marac_has_area_role(r.area_id, array['coordinator']))
      returning 1)
    select count(*)::integer from sent
  $$;

-- Notifies a referral's referrer of a coordinator's decision.
create function marac_notify_referrer(p_referral_id uuid, p_kind text)
  returns integer
  language sql volatile security definer
  set search_path = public, pg_temp
  as $$
    with sent as (
      insert into notification (id, user_id, area_id, kind, referral_id)
      select gen_random_uuid(), r.referrer_user_id, r.area_id, p_kind, r.id
        from referral r
        join app_user u on u.id = r.referrer_user_id and u.status = 'active'
       where r.id = p_referral_id
         and marac_has_area_role(r.area_id, array['coordinator'])
      returning 1)
    select count(*)::integer from sent
  $$;

grant select, update (read_at) on notification to marac_app;
grant execute on function marac_notify_area(uuid, text[], text, uuid), marac_notify_referrer(uuid, text) to marac_app;
