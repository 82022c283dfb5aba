-- Coordinator triage (src/features/triage): MARAC-to-MARAC transfers.
--
-- A transfer moves the referral, its case and the case's people to the
-- receiving area, where the referral arrives as new. The sending area's
-- coordinators keep a read-only record of what they sent: SELECT-only
-- policies below let them read the referral, its events, its people and the
-- case's data key (to open the sealed fields), never change them. Nothing
-- here widens marac_case itself, so every policy that hangs off the case
-- (case_agency, case_exclusion, writes to case_data_key and case_person)
-- keeps its meaning.

create table referral_transfer (
  id uuid primary key default gen_random_uuid(),
  referral_id uuid not null references referral (id) on delete cascade,
  from_area_id uuid not null references marac_area (id),
  to_area_id uuid not null references marac_area (id),
  at timestamptz not null default now(),
  by_user_id uuid not null references app_user (id),
  check (from_area_id <> to_area_id)
);
create index referral_transfer_referral_idx on referral_transfer (referral_id);
create index referral_transfer_from_idx on referral_transfer (from_area_id);

-- Did the acting user's area send this referral away? (A coordinator of an
-- area it was transferred from, not barred from its case.) SECURITY DEFINER so policies can ask without
-- recursing through referral's own policies.
create function marac_referral_sent(p_referral_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select exists (
      select 1 from referral_transfer t
        join referral r on r.id = t.referral_id
       where t.referral_id = p_referral_id
         and marac_has_area_role(t.from_area_id, array['coordinator'])
         and not marac_case_excluded(r.case_id))
  $$;

create function marac_case_sent(p_case_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select exists (
      select 1 from referral r
       where r.case_id = p_case_id
         and marac_referral_sent(r.id))
  $$;

-- The referral as 0007's referral_visible policy sees it, ignoring the
-- sender's read-only grant: used where the sender must not write.
create function marac_referral_visible(p_referral_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select exists (
      select 1 from referral r
       where r.id = p_referral_id
         and (r.referrer_user_id = marac_actor()
              or (r.status <> 'draft'
                  and (marac_case_visible(r.case_id, r.area_id)
                       or (marac_has_area_role(r.area_id, array['idva']) and not marac_case_excluded(r.case_id))))))
  $$;

-- The sender's read-only record. FOR SELECT only: these never let a row be
-- updated, deleted or inserted.
create policy referral_sent_read on referral for select to marac_app
  using (marac_referral_sent(id));
create policy case_person_sent_read on case_person for select to marac_app
  using (marac_case_sent(case_id));
create policy case_data_key_sent_read on case_data_key for select to marac_app
  using (marac_case_sent(case_id));

-- referral_event's and person's 0007 policies apply to every command and look
-- through referral / case_person, which the sender can now read: these
-- restrictive policies keep their writes to those who could write before.
create policy referral_event_write on referral_event as restrictive for insert to marac_app
  with check (marac_referral_visible(referral_id));
create policy person_insert on person as restrictive for insert to marac_app
  with check (exists (select 1 from case_person cp join marac_case c on c.id = cp.case_id where cp.person_id = person.id)
              or marac_has_area_role(person.area_id, array['coordinator']));
create policy person_update on person as restrictive for update to marac_app
  using (exists (select 1 from case_person cp join marac_case c on c.id = cp.case_id where cp.person_id = person.id)
         or marac_has_area_role(person.area_id, array['coordinator']));
create policy person_delete on person as restrictive for delete to marac_app
  using (exists (select 1 from case_person cp join marac_case c on c.id = cp.case_id where cp.person_id = person.id)
         or marac_has_area_role(person.area_id, array['coordinator']));

-- Transfers are visible to the coordinators and IDVAs of both areas; written
-- only by marac_transfer_referral.
alter table referral_transfer enable row level security;
create policy referral_transfer_visible on referral_transfer for select to marac_app
  using (marac_has_area_role(from_area_id, array['coordinator', 'idva'])
         or marac_has_area_role(to_area_id, array['coordinator', 'idva']));

-- Moves a referral, its case and the case's people to another area, where it
-- arrives as new ('submitted'), and records the transfer. Only a coordinator
-- of the referral's current area may, and only from 'submitted' or
-- 'returned' (the triage transition table says the same; this is the
-- database's half). SECURITY DEFINER because the caller loses sight of the
-- rows half-way through the move. The caller locks the referral first.
create function marac_transfer_referral(p_referral_id uuid, p_to_area_id uuid) returns uuid
  language plpgsql volatile security definer
  set search_path = public, pg_temp
  as $$
    declare
      v_referral referral%rowtype;
      v_transfer uuid := gen_random_uuid();
    begin
      select * into v_referral from referral where id = p_referral_id for update;
      if not found or not marac_has_area_role(v_referral.area_id, array['coordinator']) then
        raise exception 'referral not found' using errcode = 'P0002';
      end if;
      if v_referral.status not in ('submitted', 'returned') then
        raise exception 'referral cannot be transferred from status %', v_referral.status using errcode = 'P0001';
      end if;
      if p_to_area_id = v_referral.area_id or not exists (select 1 from marac_area where id = p_to_area_id) then
        raise exception 'no such receiving area' using errcode = 'P0001';
      end if;
      update person set area_id = p_to_area_id
       where id in (select person_id from case_person where case_id = v_referral.case_id);
      update marac_case set area_id = p_to_area_id where id = v_referral.case_id;
      update referral set area_id = p_to_area_id, status = 'submitted', updated_at = now()
       where id = p_referral_id;
      insert into referral_transfer (id, referral_id, from_area_id, to_area_id, by_user_id)
      values (v_transfer, p_referral_id, v_referral.area_id, p_to_area_id, marac_actor());
      return v_transfer;
    end
  $$;

grant select on referral_transfer to marac_app;
grant execute on function marac_referral_sent(uuid), marac_case_sent(uuid), marac_referral_visible(uuid),
  marac_transfer_referral(uuid, uuid) to marac_app;
