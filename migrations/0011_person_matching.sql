-- Person matching (src/features/people/matching): the normalised and phonetic
-- columns the candidate search blocks on, written with each person by the
-- service (columns.ts), their indexes, and the one-statement candidate search.
--
-- The phonetic codes and canonical forenames are computed in TypeScript, never
-- in SQL, so the stored keys and the query's keys always come from the same
-- code. Rows written before this migration get their normalised names
-- recomputed below; their phonetic columns stay empty until rewritten, so they
-- are found only by the name/date arms and the trigram arm (see README).

alter table person
  -- An identifier from another system (police, IDVA service) for imported people; unique within an area.
  add column external_id text check (length(external_id) between 1 and 200),
  add column previous_surnames text[] not null default '{}' check (cardinality(previous_surnames) <= 20),
  add column full_name_normalised text not null default '' check (length(full_name_normalised) <= 401),
  add column forename_canonical text[] not null default '{}',
  add column given_names_metaphone text[] not null default '{}',
  add column family_name_metaphone text[] not null default '{}',
  add column given_names_dm text[] not null default '{}',
  add column family_name_dm text[] not null default '{}',
  add column dob_year smallint check (dob_year between 1850 and 2200),
  add column dob_month smallint check (dob_month between 1 and 12),
  add column dob_day smallint check (dob_day between 1 and 31),
  -- The address is sealed; only its outward code ("M1", "SW1A") is kept in the clear, and only when supplied.
  add column postcode_outcode text check (postcode_outcode ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$|^GIR$'),
  -- Previous surnames and the surnames of aliases, normalised.
  add column other_surnames_normalised text[] not null default '{}';

create unique index person_external_id_idx on person (area_id, external_id) where external_id is not null;

-- The names' normalised form changed (apostrophes are now removed: "O'Brien" → "obrien", as
-- features/people/matching/normalise.ts does); recompute it for existing rows the same way for Latin letters.
update person set
  given_names_normalised = trim(regexp_replace(regexp_replace(lower(unaccent(given_names)),
                                 '[''‘’ʼʻ`´]', '', 'g'), '[^[:alnum:]]+', ' ', 'g')),
  family_name_normalised = trim(regexp_replace(regexp_replace(lower(unaccent(family_name)),
                                 '[''‘’ʼʻ`´]', '', 'g'), '[^[:alnum:]]+', ' ', 'g'));
update person set
  full_name_normalised = trim(given_names_normalised || ' ' || family_name_normalised),
  dob_year = extract(year from date_of_birth),
  dob_month = extract(month from date_of_birth),
  dob_day = extract(day from date_of_birth),
  forename_canonical = array[split_part(given_names_normalised, ' ', 1)];

-- Composite blocking keys as immutable expressions, so one GIN index serves
-- each arm and a common code ("smith") is only ever looked up together with
-- what narrows it (a birth year, a forename, an outward code).
create function marac_tagged_keys(p_codes text[], p_tag text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$ select coalesce(array(select c || '|' || p_tag from unnest(p_codes) c where p_tag is not null), '{}') $$;

create function marac_name_pair_keys(p_forenames text[], p_family text, p_others text[]) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select coalesce(array(select f || '|' || s
                            from unnest(p_forenames) f, unnest(array_prepend(p_family, p_others)) s), '{}')
  $$;

-- One index per blocking arm. GIN indexes without the fast-update pending
-- list: every search would otherwise scan the list of recent inserts, and a
-- search is on the path of a referral being submitted.
create index person_surname_dob_idx on person (area_id, family_name_normalised, date_of_birth);
create index person_dob_idx on person (area_id, date_of_birth);
create index person_surname_day_month_idx on person (area_id, family_name_normalised, dob_month, dob_day);
create index person_surname_phonetic_year_idx on person
  using gin (marac_tagged_keys(family_name_dm || family_name_metaphone, dob_year::text)) with (fastupdate = off);
create index person_surname_phonetic_initial_idx on person
  using gin (marac_tagged_keys(family_name_dm || family_name_metaphone, left(full_name_normalised, 1)))
  with (fastupdate = off);
create index person_forename_phonetic_year_idx on person
  using gin (marac_tagged_keys(given_names_metaphone, dob_year::text || left(family_name_normalised, 1)))
  with (fastupdate = off);
create index person_name_pair_idx on person
  using gin (marac_name_pair_keys(forename_canonical, family_name_normalised, other_surnames_normalised))
  with (fastupdate = off);
create index person_forename_phonetic_outcode_idx on person
  using gin (marac_tagged_keys(given_names_metaphone, postcode_outcode)) with (fastupdate = off);
-- The trigram arm compares whole names, but only among people with the same initials (forename, surname): a
-- trigram index over everyone reads posting lists of hundreds of thousands of rows for a common name ("olivia
-- smith" took most of a second at a million people), while the initials key, read first by GIN, narrows it a
-- hundredfold. A slip in a first letter is left to the other arms.
create index person_full_name_trgm_idx on person
  using gin ((left(full_name_normalised, 1) || left(family_name_normalised, 1)), full_name_normalised gin_trgm_ops)
  with (fastupdate = off);
drop index person_match_idx;
create index person_match_idx on person (area_id, family_name_normalised, given_names_normalised, date_of_birth);

-- The candidate search: ONE statement, a union of indexed blocking arms and
-- one bounded trigram arm, each arm bounded, the whole capped at p_cap, each
-- candidate tagged with every arm that found it. Returns the fields scoring
-- needs and nothing else. Not callable by the application: it checks nobody's
-- role. The service calls marac_person_candidates (below); the command line,
-- run by the operator as the database owner, calls this one.
create function marac_person_candidates_unchecked(
  p_area_id uuid,
  p_family text,          -- the family name as normaliseName gives it
  p_full text,            -- forenames and family name, titles removed
  p_canonical text[],     -- canonical forenames (nickname table)
  p_dob date,
  p_dob_swapped date,     -- the date with day and month exchanged, or null
  p_initials text[],      -- {first letter of the full name, first letter of the family name}
  p_year_keys text[],     -- marac_tagged_keys(family phonetic codes, birth year)
  p_initial_keys text[],  -- marac_tagged_keys(family phonetic codes, first letter of the forenames)
  p_forename_year_keys text[], -- marac_tagged_keys(forename phonetic codes, birth year || surname's first letter)
  p_pair_keys text[],     -- marac_name_pair_keys(canonical forenames, family, other surnames)
  p_outcode_keys text[],  -- marac_tagged_keys(forename phonetic codes, outward code)
  p_exclude_case uuid,    -- people on this case are not candidates (the referral being matched)
  p_arm_limit integer,
  p_trigram_limit integer,
  p_cap integer)
  returns table (id uuid, identity_id uuid, external_id text, given_names text, family_name text, aliases text[],
                 previous_surnames text[], date_of_birth date, postcode_outcode text, arms text[])
  language plpgsql stable
  set search_path = public, pg_temp
  set pg_trgm.similarity_threshold = 0.5
  as $fn$
    begin
      -- Dynamic SQL so each call is planned for its own keys: a generic plan cannot tell a rare surname from
      -- "smith", and would pick scans that read the whole area. Values are bound, never spliced in.
      return query execute $q$
        -- An arm with more rows than its limit keeps the likeliest: born in the year given, then the most similar
        -- names (a common forename and surname share hundreds of keys at a million people).
        with hits as (
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_dob' as arm from person p
            where p.area_id = $1 and p.family_name_normalised = $2 and p.date_of_birth = $5
            limit $14)
          union all
          -- The surname with the birth day and month, whatever the year: a slipped year (1934 for 1964) and a
          -- mistyped forename still meet.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_day_month' from person p
            where p.area_id = $1 and p.family_name_normalised = $2
              and p.dob_month = extract(month from $5)::int and p.dob_day = extract(day from $5)::int
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_dob' from person p
            where p.area_id = $1 and p.date_of_birth = $5 and p.forename_canonical && $4
            limit $14)
          union all
          -- The date of birth as given or with day and month exchanged, whatever the names say (a new surname
          -- and a mistyped forename still leave it); a matching initial first when the arm is full.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'dob' from person p
            where p.area_id = $1 and p.date_of_birth in ($5, $6)
            order by (left(p.full_name_normalised, 1) = any ($7) or left(p.family_name_normalised, 1) = any ($7)) desc,
                     p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_phonetic_year' from person p
            where p.area_id = $1
              and marac_tagged_keys(p.family_name_dm || p.family_name_metaphone, p.dob_year::text) && $8
            order by p.dob_year = extract(year from $5)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_phonetic_initial' from person p
            where p.area_id = $1
              and marac_tagged_keys(p.family_name_dm || p.family_name_metaphone, left(p.full_name_normalised, 1)) && $9
            order by p.dob_year = extract(year from $5)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_phonetic_year' from person p
            where p.area_id = $1
              and marac_tagged_keys(p.given_names_metaphone, p.dob_year::text || left(p.family_name_normalised, 1))
                  && $10
            order by p.dob_year = extract(year from $5)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'name_pair' from person p
            where p.area_id = $1
              and marac_name_pair_keys(p.forename_canonical, p.family_name_normalised, p.other_surnames_normalised)
                  && $11
            order by p.dob_year = extract(year from $5)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_phonetic_outcode' from person p
            where p.area_id = $1 and marac_tagged_keys(p.given_names_metaphone, p.postcode_outcode) && $12
            order by p.dob_year = extract(year from $5)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $14)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'trigram' from person p
            where p.area_id = $1 and $3 <> ''
              -- Either order of initials, so forenames and surname recorded the other way round still meet.
              and ((left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $7[1] || $7[2]
                    and p.full_name_normalised % $3)
                   or (left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $7[2] || $7[1]
                       and p.full_name_normalised % $3))
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $15)
        ),
        found as (
          select h.id, array_agg(distinct h.arm order by h.arm) as arms, count(distinct h.arm) as arm_count,
                 max(h.sim) as best_similarity
            from hits h
           group by h.id
           -- Found by more arms first, then the most similar names, so the cap drops the weakest.
           order by count(distinct h.arm) desc, max(h.sim) desc, h.id
           limit $16
        )
        select p.id, p.identity_id, p.external_id, p.given_names, p.family_name, p.aliases, p.previous_surnames,
               p.date_of_birth, p.postcode_outcode, f.arms
          from found f
          join person p on p.id = f.id
         where $13::uuid is null
            or not exists (select 1 from case_person cp where cp.person_id = p.id and cp.case_id = $13)
         order by f.arm_count desc, f.best_similarity desc, p.id
      $q$
      using p_area_id, p_family, p_full, p_canonical, p_dob, p_dob_swapped, p_initials, p_year_keys, p_initial_keys,
            p_forename_year_keys, p_pair_keys, p_outcode_keys, p_exclude_case, p_arm_limit, p_trigram_limit, p_cap;
    end
  $fn$;
revoke all on function marac_person_candidates_unchecked(uuid, text, text, text[], date, date, text[], text[], text[],
  text[], text[], text[], uuid, integer, integer, integer) from public;

-- The candidate search for the service: only a referrer, coordinator or IDVA
-- of the area may ask, and it answers for that area only. SECURITY DEFINER
-- because row-level security rightly hides other referrals' people from a
-- referrer; like marac_match_person it must go on hiding them, so what it
-- returns is only what scoring needs, and a coordinator confirms every link.
create function marac_person_candidates(
  p_area_id uuid, p_family text, p_full text, p_canonical text[], p_dob date, p_dob_swapped date,
  p_initials text[], p_year_keys text[], p_initial_keys text[], p_forename_year_keys text[],
  p_pair_keys text[], p_outcode_keys text[], p_exclude_case uuid,
  p_arm_limit integer, p_trigram_limit integer, p_cap integer)
  returns table (id uuid, identity_id uuid, external_id text, given_names text, family_name text, aliases text[],
                 previous_surnames text[], date_of_birth date, postcode_outcode text, arms text[])
  language plpgsql stable security definer
  set search_path = public, pg_temp
  as $$
    begin
      if not marac_has_area_role(p_area_id, array['referrer', 'coordinator', 'idva']) then
        raise exception 'not allowed to match people in this area' using errcode = '42501';
      end if;
      return query select * from marac_person_candidates_unchecked(p_area_id, p_family, p_full, p_canonical, p_dob,
        p_dob_swapped, p_initials, p_year_keys, p_initial_keys, p_forename_year_keys, p_pair_keys, p_outcode_keys,
        p_exclude_case,
        least(p_arm_limit, 500), least(p_trigram_limit, 100), least(p_cap, 500));
    end
  $$;
revoke all on function marac_person_candidates(uuid, text, text, text[], date, date, text[], text[], text[], text[],
  text[], text[], uuid, integer, integer, integer) from public;
grant execute on function marac_person_candidates(uuid, text, text, text[], date, date, text[], text[], text[],
  text[], text[], text[], uuid, integer, integer, integer) to marac_app;
