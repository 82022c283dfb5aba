-- Referrals, the people they name, and their timeline (src/features/referrals).
-- A draft creates its case at once, so the case's data key can seal the
-- dangerous fields (addresses, safe contact details, narratives) from the
-- first page; those fields are stored only as ciphertext (src/platform/crypto).

-- Is the acting user active and holding one of these roles in the area?
-- SECURITY DEFINER so policies can ask without membership rows being filtered.
create function marac_has_area_role(p_area_id uuid, p_roles text[]) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select exists (
      select 1
        from membership m
        join app_user u on u.id = m.user_id and u.status = 'active'
       where m.user_id = marac_actor() and m.area_id = p_area_id and m.role = any (p_roles))
  $$;

-- Is the acting user barred from the case? An exclusion beats every grant.
create function marac_case_excluded(p_case_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select exists (select 1 from case_exclusion e where e.case_id = p_case_id and e.user_id = marac_actor())
  $$;

create table referral (
  id uuid primary key,
  area_id uuid not null references marac_area (id),
  -- Deferred: a referrer may create a case only through their own referral,
  -- so the referral row is written first and its case in the same transaction.
  case_id uuid not null unique references marac_case (id) on delete cascade deferrable initially deferred,
  referrer_user_id uuid not null references app_user (id),
  referrer_agency_id uuid references agency (id),
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'returned', 'accepted', 'rejected', 'transferred')),
  reference text unique check (reference ~ '^[A-Z]{1,6}-[0-9]{4}-[0-9]{4,}$'),
  submitted_at timestamptz,
  is_emergency boolean not null default false,
  submission_key text unique check (submission_key ~ '^[A-Za-z0-9_-]{16,100}$'),
  -- Non-sensitive answers only (codes, yes/no, counts); see src/features/referrals/answers.ts.
  answers jsonb not null default '{}'::jsonb check (jsonb_typeof(answers) = 'object'),
  -- Sealed fields: v1.<key id>.<nonce>.<ciphertext>, never plaintext.
  victim_address text check (victim_address ~ '^v1\.'),
  victim_location text check (victim_location ~ '^v1\.'),
  safe_contact text check (safe_contact ~ '^v1\.'),
  narrative text check (narrative ~ '^v1\.'),
  professional_judgement_rationale text check (professional_judgement_rationale ~ '^v1\.'),
  checklist_notes text check (checklist_notes ~ '^v1\.'),
  checklist_tool text,
  checklist_version text,
  -- Answers and option codes only; the checklist's free text is sealed in checklist_notes.
  checklist_answers jsonb check (checklist_answers is null or jsonb_typeof(checklist_answers) = 'object'),
  score integer check (score between 0 and 100),
  criteria_met text[] not null default '{}'
    check (criteria_met <@ array['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat']),
  repeat_of_referral_id uuid references referral (id),
  repeat_definition_version text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'draft') = (submitted_at is null)),
  check (status = 'draft' or (reference is not null and submission_key is not null))
);
create index referral_area_idx on referral (area_id, status);
create index referral_referrer_idx on referral (referrer_user_id);

-- Reference numbers: <prefix>-<year>-<sequence>, the sequence counted per
-- prefix and year in the submitting transaction, so two areas with the same
-- prefix still never collide.
create table referral_counter (
  prefix text not null check (prefix ~ '^[A-Z]{1,6}$'),
  year integer not null check (year between 2000 and 9999),
  last integer not null check (last > 0),
  primary key (prefix, year)
);

-- People named by referrals. Names and dates of birth stay searchable; the
-- normalised columns (lower case, accents removed) are written by the service
-- for matching. identity_id is the person this row was matched to (its own id
-- until a match is found), so repeats compare identities, not rows.
create table person (
  id uuid primary key,
  area_id uuid not null references marac_area (id),
  identity_id uuid not null references person (id) deferrable initially deferred,
  given_names text not null check (length(given_names) between 1 and 200),
  family_name text not null check (length(family_name) between 1 and 200),
  aliases text[] not null default '{}' check (cardinality(aliases) <= 20),
  date_of_birth date,
  given_names_normalised text not null check (length(given_names_normalised) <= 200),
  family_name_normalised text not null check (length(family_name_normalised) <= 200),
  created_at timestamptz not null default now()
);
create index person_match_idx on person (area_id, family_name_normalised, given_names_normalised, date_of_birth);
create index person_identity_idx on person (identity_id);

create table case_person (
  case_id uuid not null references marac_case (id) on delete cascade,
  -- Deferred: the link is written first, so the new person row can be checked
  -- against the case it belongs to.
  person_id uuid not null references person (id) deferrable initially deferred,
  role text not null check (role in ('victim', 'perpetrator', 'child', 'household_member')),
  relationship text check (length(relationship) between 1 and 200),
  primary key (case_id, person_id, role)
);
create index case_person_person_idx on case_person (person_id);
create unique index case_person_one_victim_idx on case_person (case_id) where role = 'victim';

create table referral_event (
  id uuid primary key,
  referral_id uuid not null references referral (id) on delete cascade,
  at timestamptz not null default now(),
  actor_user_id uuid references app_user (id),
  kind text not null check (kind in ('submitted', 'information_requested', 'resubmitted', 'accepted', 'rejected',
                                     'marked_emergency', 'transferred')),
  message text check (message ~ '^v1\.')
);
create index referral_event_referral_idx on referral_event (referral_id, at);

-- A referrer also sees the case of their own referral. Otherwise unchanged
-- from 0005: coordinators, chairs and IDVAs of the area, an agency
-- representative whose agency has a need to know; an exclusion beats all.
create or replace function marac_case_visible(p_case_id uuid, p_area_id uuid) returns boolean
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select not exists (
             select 1 from case_exclusion e where e.case_id = p_case_id and e.user_id = marac_actor())
       and (exists (
             select 1
               from membership m
               join app_user u on u.id = m.user_id and u.status = 'active'
              where m.user_id = marac_actor()
                and m.area_id = p_area_id
                and (m.role in ('coordinator', 'chair', 'idva')
                     or (m.role = 'agency_representative'
                         and exists (select 1 from case_agency ca
                                      where ca.case_id = p_case_id and ca.agency_id = u.agency_id))))
            or exists (
             select 1
               from referral r
               join app_user u on u.id = r.referrer_user_id and u.status = 'active'
              where r.case_id = p_case_id
                and r.area_id = p_area_id
                and r.referrer_user_id = marac_actor()))
  $$;

-- Person matching across the area, for the referral being submitted: the
-- identity of the earliest person with the same normalised names and date of
-- birth, outside the given case. Returns an id only, and only to a referrer,
-- coordinator or IDVA of the area: row-level security hides the rows
-- themselves from a referrer, and must go on hiding them.
create function marac_match_person(p_area_id uuid, p_given text, p_family text, p_dob date, p_exclude_case uuid)
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
     order by p.created_at, p.id
     limit 1
  $$;

-- Previous referrals (submitted, not drafts or rejected) in the area whose
-- victim is this identity: ids, dates and perpetrator identities only, for
-- the repeat rule. Same callers as marac_match_person.
create function marac_referral_history(p_area_id uuid, p_victim_identity uuid, p_exclude_referral uuid)
  returns table (referral_id uuid, referred_on text, perpetrator_identities uuid[])
  language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select r.id,
           to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM-DD'),
           coalesce(array_agg(distinct pp.identity_id) filter (where pp.identity_id is not null), '{}')
      from referral r
      join case_person cv on cv.case_id = r.case_id and cv.role = 'victim'
      join person v on v.id = cv.person_id and v.identity_id = p_victim_identity
      left join case_person cp on cp.case_id = r.case_id and cp.role = 'perpetrator'
      left join person pp on pp.id = cp.person_id
     where marac_has_area_role(p_area_id, array['referrer', 'coordinator', 'idva'])
       and r.area_id = p_area_id
       and r.status not in ('draft', 'rejected')
       and r.submitted_at is not null
       and r.id <> p_exclude_referral
     group by r.id, r.submitted_at
  $$;

alter table referral enable row level security;
alter table person enable row level security;
alter table case_person enable row level security;
alter table referral_event enable row level security;

-- A referral: its referrer always; once submitted, whoever can see its case,
-- and the area's IDVAs (who receive every referral) unless barred from the case.
create policy referral_visible on referral to marac_app
  using (referrer_user_id = marac_actor()
         or (status <> 'draft'
             and (marac_case_visible(case_id, area_id)
                  or (marac_has_area_role(area_id, array['idva']) and not marac_case_excluded(case_id)))));

create policy case_person_visible on case_person to marac_app
  using (exists (select 1 from marac_case c where c.id = case_id));

-- A person: through a case they belong to, or to the area's coordinators.
create policy person_visible on person to marac_app
  using (exists (select 1 from case_person cp where cp.person_id = id)
         or marac_has_area_role(area_id, array['coordinator']));

create policy referral_event_visible on referral_event to marac_app
  using (exists (select 1 from referral r where r.id = referral_id));

grant select, insert, update, delete on referral, person, case_person to marac_app;
grant select, insert on referral_event to marac_app;
grant select, insert, update on referral_counter to marac_app;
grant execute on function marac_has_area_role(uuid, text[]), marac_case_excluded(uuid),
  marac_match_person(uuid, text, text, date, uuid), marac_referral_history(uuid, uuid, uuid) to marac_app;
