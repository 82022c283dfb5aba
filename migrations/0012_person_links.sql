-- Coordinators' person-matching decisions (src/features/people/links.ts).
-- For each person a referral names, the coordinator decides whether a
-- candidate already on record is the same person, not the same, or whether
-- the person is new. "Same" points the person at the candidate's identity;
-- undoing restores the identity held before, so every link is reversible
-- and nothing is joined without a decision on record.

create table person_link (
  id uuid primary key,
  referral_id uuid not null references referral (id) on delete cascade,
  -- The person as this referral names them.
  person_id uuid not null references person (id),
  decision text not null check (decision in ('same', 'not_same', 'new')),
  candidate_person_id uuid references person (id),
  -- The identity before the decision, restored when it is undone, and the
  -- other people who shared that identity and moved with it.
  previous_identity_id uuid not null,
  moved_person_ids uuid[] not null default '{}',
  -- Null when made at submission by an exact match (same names and date of birth), for a coordinator to confirm or undo.
  decided_by uuid references app_user (id),
  decided_at timestamptz not null default now(),
  undone_by uuid references app_user (id),
  undone_at timestamptz,
  check ((decision = 'new') = (candidate_person_id is null)),
  check ((undone_at is null) = (undone_by is null))
);
create index person_link_person_idx on person_link (person_id);
create index person_link_referral_idx on person_link (referral_id);
-- One standing decision per person and candidate (and one "new").
create unique index person_link_standing_idx
  on person_link (person_id, coalesce(candidate_person_id, person_id)) where undone_at is null;

alter table person_link enable row level security;
create policy person_link_visible on person_link to marac_app
  using (exists (select 1 from referral r where r.id = referral_id));
grant select, insert on person_link to marac_app;
grant update (undone_by, undone_at) on person_link to marac_app;

-- Previous referrals of a victim identity in the area, with the instant each
-- was submitted, so the repeat rule can be re-run for an older referral after
-- a link changes. Ids, dates and identities only; for the area's coordinators.
create function marac_referral_history_at(p_area_id uuid, p_victim_identity uuid, p_exclude_referral uuid)
  returns table (referral_id uuid, referred_on text, submitted_at timestamptz, perpetrator_identities uuid[])
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select r.id,
           to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM-DD'),
           r.submitted_at,
           coalesce(array_agg(distinct pp.identity_id) filter (where pp.identity_id is not null), '{}')
      from referral r
      join case_person cv on cv.case_id = r.case_id and cv.role = 'victim'
      join person v on v.id = cv.person_id and v.identity_id = p_victim_identity
      left join case_person cp on cp.case_id = r.case_id and cp.role = 'perpetrator'
      left join person pp on pp.id = cp.person_id
     where marac_has_area_role(p_area_id, array['coordinator'])
       and r.area_id = p_area_id
       and r.status not in ('draft', 'rejected')
       and r.submitted_at is not null
       and r.id <> p_exclude_referral
     group by r.id, r.submitted_at
  $$;

-- How many distinct victims a perpetrator identity has been referred for in
-- the area (two or more: a serial perpetrator). A count only.
create function marac_perpetrator_victims(p_area_id uuid, p_perpetrator_identity uuid)
  returns integer
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select count(distinct v.identity_id)::integer
      from person pp
      join case_person cp on cp.person_id = pp.id and cp.role = 'perpetrator'
      join referral r on r.case_id = cp.case_id and r.status not in ('draft', 'rejected')
      join case_person cv on cv.case_id = r.case_id and cv.role = 'victim'
      join person v on v.id = cv.person_id
     where marac_has_area_role(p_area_id, array['coordinator', 'idva', 'chair', 'agency_representative'])
       and pp.area_id = p_area_id
       and pp.identity_id = p_perpetrator_identity
  $$;

-- Referrals held by OTHER areas for someone with the same normalised names and
-- date of birth as this person: the area's name and the referral's date only,
-- never content, so a coordinator can ask that area's coordinator. For the
-- coordinators and IDVAs of the person's own area.
create function marac_known_elsewhere(p_person_id uuid)
  returns table (area_name text, referred_on text)
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select distinct a.name, to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM-DD')
      from person me
      join person other on other.area_id <> me.area_id
                       and other.family_name_normalised = me.family_name_normalised
                       and other.given_names_normalised = me.given_names_normalised
                       and other.date_of_birth = me.date_of_birth
      join case_person cp on cp.person_id = other.id and cp.role in ('victim', 'perpetrator')
      join referral r on r.case_id = cp.case_id and r.status not in ('draft', 'rejected')
                     and r.area_id = other.area_id
      join marac_area a on a.id = r.area_id
     where me.id = p_person_id
       and me.date_of_birth is not null
       and marac_has_area_role(me.area_id, array['coordinator', 'idva'])
     order by 2, 1
  $$;

grant execute on function marac_referral_history_at(uuid, uuid, uuid), marac_perpetrator_victims(uuid, uuid),
  marac_known_elsewhere(uuid) to marac_app;

-- The exact matcher at submission (0007) could find a person named only on
-- someone's unsubmitted draft. Only people on record count: named by a
-- submitted referral, or imported with an external id.
create or replace function marac_match_person(p_area_id uuid, p_given text, p_family text, p_dob date,
                                              p_exclude_case uuid)
  returns uuid
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select p.identity_id
      from person p
     where marac_has_area_role(p_area_id, array['referrer', 'coordinator', 'idva'])
       and p.area_id = p_area_id
       and p.given_names_normalised = p_given
       and p.family_name_normalised = p_family
       and p_dob is not null
       and p.date_of_birth = p_dob
       and not exists (select 1 from case_person cp where cp.person_id = p.id and cp.case_id = p_exclude_case)
       and (p.external_id is not null
            or exists (select 1 from case_person cp join referral r on r.case_id = cp.case_id
                        where cp.person_id = p.id and r.status not in ('draft', 'rejected')))
     order by p.created_at, p.id
     limit 1
  $$;

-- A transfer (0010) moves a case's people to the receiving area. Links to
-- people of the sending area do not travel with them: the moved people become
-- their own identities again and their standing decisions are undone, so the
-- receiving coordinator decides afresh among their own area's people.
create or replace function marac_transfer_referral(p_referral_id uuid, p_to_area_id uuid) returns uuid
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
      update person set area_id = p_to_area_id, identity_id = id
       where id in (select person_id from case_person where case_id = v_referral.case_id);
      update person_link set undone_at = now(), undone_by = marac_actor()
       where undone_at is null
         and person_id in (select person_id from case_person where case_id = v_referral.case_id);
      update marac_case set area_id = p_to_area_id where id = v_referral.case_id;
      update referral set area_id = p_to_area_id, status = 'submitted', updated_at = now()
       where id = p_referral_id;
      insert into referral_transfer (id, referral_id, from_area_id, to_area_id, by_user_id)
      values (v_transfer, p_referral_id, v_referral.area_id, p_to_area_id, marac_actor());
      return v_transfer;
    end
  $$;
