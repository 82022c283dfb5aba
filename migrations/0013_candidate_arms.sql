-- Person matching, second version of the candidate search (see
-- docs/matching-benchmark.md for the runs that led here). What changes:
-- - every surname arm is asked with all the surnames the referral gives (the
--   current one and any previous ones), not the current one alone, so a
--   referral that names a married woman by her new surname and says "née X"
--   meets her record under X;
-- - a slipped digit in a date of birth: arms on a surname or forename code
--   together with two of the date's three parts (day and month, year and
--   month, year and day), and an arm on the dates one digit away;
-- - no date of birth on one side: an arm on the surname alone (as written or
--   a previous one), the closest forenames first, and one on a surname one
--   slip away with the forenames' initial.
-- The surname + day/month arm of 0011 is replaced by the part arms (a
-- superset: equal names have equal codes).
-- And what it costs at a million people: the trigram arm runs only when the
-- indexed arms found no close name, the surname + initial and forename +
-- outward code arms only without a date of birth, and the surname arm ranks
-- from a covering index; EXPLAIN ANALYZE at 1M showed these arms reading
-- thousands of rows from the heap for a common name.
--
-- Also: marac_area_name_counts, the area's size and a surname's count for
-- scoring (the strong band grows with the area).

-- Keys of a name's codes with two of the three parts of a date of birth:
-- code|mMMDD, code|yYYYYMM, code|dYYYYDD. Empty when the date is unknown.
-- columns.ts (dobPartTags) computes the same tags for the person being matched.
create function marac_dob_part_keys(p_codes text[], p_year smallint, p_month smallint, p_day smallint)
  returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select case when p_year is null or p_month is null or p_day is null then '{}'::text[]
           else coalesce(array(
             select c || '|' || tag
               from unnest(p_codes) c,
                    unnest(array['m' || lpad(p_month::text, 2, '0') || lpad(p_day::text, 2, '0'),
                                 'y' || p_year::text || lpad(p_month::text, 2, '0'),
                                 'd' || p_year::text || lpad(p_day::text, 2, '0')]) tag), '{}')
           end
  $$;

-- A name and every string one letter shorter ("smith": smith, mith, sith, smth, smih, smit), for names of four
-- letters or more: two names one slip apart (a substitution, a dropped or extra letter, two letters transposed)
-- always share one. candidates.ts (deletionKeys) computes the same for the person being matched.
create function marac_deletion_keys(p_name text) returns text[]
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select case when length(p_name) < 4 then array[p_name]
           else array_prepend(p_name, array(select left(p_name, i - 1) || substr(p_name, i + 1)
                                              from generate_series(1, length(p_name)) i))
           end
  $$;

drop index person_surname_day_month_idx;
create index person_surname_deletion_idx on person
  using gin (marac_tagged_keys(marac_deletion_keys(family_name_normalised), left(full_name_normalised, 1)))
  with (fastupdate = off);
-- The surname arm ranks a surname's people by forename from this index alone.
create index person_surname_forename_idx on person (area_id, family_name_normalised)
  include (given_names_normalised, date_of_birth, id);
create index person_surname_dob_part_idx on person
  using gin (marac_dob_part_keys(family_name_dm || family_name_metaphone, dob_year, dob_month, dob_day))
  with (fastupdate = off);
create index person_forename_dob_part_idx on person
  using gin (marac_dob_part_keys(given_names_metaphone, dob_year, dob_month, dob_day)) with (fastupdate = off);
-- The dates-one-digit-away arm reads a date with either initial through these (a bitmap OR of the two).
create index person_dob_initial_idx on person (area_id, date_of_birth, left(full_name_normalised, 1));
create index person_dob_surname_initial_idx on person (area_id, date_of_birth, left(family_name_normalised, 1));
-- The forename + outward code arm ranks an outward code's people with one forename code from this index alone.
create index person_outcode_forename_idx on person (area_id, postcode_outcode, (given_names_metaphone[1]))
  include (given_names_metaphone, full_name_normalised, dob_year, id);
create index person_other_surnames_idx on person using gin (other_surnames_normalised) with (fastupdate = off);

drop function marac_person_candidates(uuid, text, text, text[], date, date, text[], text[], text[], text[], text[],
  text[], uuid, integer, integer, integer);
drop function marac_person_candidates_unchecked(uuid, text, text, text[], date, date, text[], text[], text[], text[],
  text[], text[], uuid, integer, integer, integer);

-- The candidate search: ONE statement, a union of indexed blocking arms and
-- one bounded trigram arm, each arm bounded, the whole capped at p_cap, each
-- candidate tagged with every arm that found it. Returns the fields scoring
-- needs and nothing else. Checks nobody's role: the service calls
-- marac_person_candidates (below); the command line, run by the operator as
-- the database owner, and the benchmark call this one.
create function marac_person_candidates_unchecked(
  p_area_id uuid,
  p_surnames text[],      -- $2: normalised surnames given: the current one first, then any previous ones
  p_full text,            -- $3: forenames and family name, titles removed
  p_given text,           -- $4: the forenames as normaliseName gives them
  p_canonical text[],     -- $5: canonical forenames (nickname table)
  p_dob date,             -- $6
  p_dob_swapped date,     -- $7: the date with day and month exchanged, or null
  p_dob_near date[],      -- $8: real dates one digit away from p_dob
  p_initials text[],      -- $9: {first letter of the full name, first letter of the family name}
  p_year_keys text[],     -- $10: marac_tagged_keys(surname codes, birth year)
  p_initial_keys text[],  -- $11: marac_tagged_keys(surname codes, first letter of the forenames)
  p_forename_year_keys text[], -- $12: marac_tagged_keys(forename codes, birth year || surname's first letter)
  p_pair_keys text[],     -- $13: marac_name_pair_keys(canonical forenames, surnames given)
  p_outcode_keys text[],  -- $14: marac_tagged_keys(forename codes, outward code)
  p_surname_part_keys text[],  -- $15: marac_dob_part_keys(surname codes, the date's parts)
  p_forename_part_keys text[], -- $16: marac_dob_part_keys(forename codes, the date's parts)
  p_exclude_case uuid,    -- $17: people on this case are not candidates (the referral being matched)
  p_arm_limit integer,    -- $18
  p_trigram_limit integer, -- $19
  p_cap integer,          -- $20
  p_surname_deletions text[]) -- $21: marac_tagged_keys(deletion keys of each surname given, forenames' initial)
  returns table (id uuid, identity_id uuid, external_id text, given_names text, family_name text, aliases text[],
                 previous_surnames text[], date_of_birth date, postcode_outcode text, arms text[])
  language plpgsql stable
  set search_path = public, pg_temp
  set pg_trgm.similarity_threshold = 0.6
  as $fn$
    begin
      -- Dynamic SQL so each call is planned for its own keys and values: a generic plan cannot tell a rare surname
      -- from "smith", and an arm whose input is absent (no date of birth) is planned away. Values are bound, never
      -- spliced in. An arm with more rows than its limit keeps the likeliest: born in the year given, then the most
      -- similar names.
      return query execute $q$
        with indexed as (
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_dob' as arm from person p
            where p.area_id = $1 and p.family_name_normalised = any ($2) and p.date_of_birth in ($6, $7)
            limit $18)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_dob' from person p
            where p.area_id = $1 and p.date_of_birth = $6 and p.forename_canonical && $5
            limit $18)
          union all
          -- The date of birth as given or with day and month exchanged, whatever the names say (a new surname
          -- and a mistyped forename still leave it); a matching initial first when the arm is full.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'dob' from person p
            where p.area_id = $1 and p.date_of_birth in ($6, $7)
            order by (left(p.full_name_normalised, 1) = any ($9) or left(p.family_name_normalised, 1) = any ($9)) desc,
                     p.id
            limit $18)
          union all
          -- Dates one digit away (1985 for 1986, 12 for 22) with either initial in common (at a million people
          -- forty dates hold a thousand people), the most similar names first.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'dob_near' from person p
            where p.area_id = $1 and p.date_of_birth = any ($8)
              and (left(p.full_name_normalised, 1) = any ($9) or left(p.family_name_normalised, 1) = any ($9))
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- A surname code with two of the date's three parts: a slipped year, month or day still meets.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_dob_part' from person p
            where p.area_id = $1
              and marac_dob_part_keys(p.family_name_dm || p.family_name_metaphone, p.dob_year, p.dob_month, p.dob_day)
                  && $15
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- The same for a forename code, for a referral that gives a new surname and a slipped date.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_dob_part' from person p
            where p.area_id = $1
              and marac_dob_part_keys(p.given_names_metaphone, p.dob_year, p.dob_month, p.dob_day) && $16
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_phonetic_year' from person p
            where p.area_id = $1
              and marac_tagged_keys(p.family_name_dm || p.family_name_metaphone, p.dob_year::text) && $10
            order by p.dob_year = extract(year from $6)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- A surname code with the forenames' initial, for a referral without a date of birth (with one, the
          -- date arms above narrow far better).
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_phonetic_initial' from person p
            where $6 is null and p.area_id = $1
              and marac_tagged_keys(p.family_name_dm || p.family_name_metaphone, left(p.full_name_normalised, 1)) && $11
            order by p.dob_year = extract(year from $6)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_phonetic_year' from person p
            where p.area_id = $1
              and marac_tagged_keys(p.given_names_metaphone, p.dob_year::text || left(p.family_name_normalised, 1))
                  && $12
            order by p.dob_year = extract(year from $6)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'name_pair' from person p
            where p.area_id = $1
              and marac_name_pair_keys(p.forename_canonical, p.family_name_normalised, p.other_surnames_normalised)
                  && $13
            order by p.dob_year = extract(year from $6)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- A forename code in the same outward code, for a referral without a date of birth that may give a new
          -- surname (with a date, the date arms find her).
          -- Read from person_outcode_forename_idx alone (an outward code holds ten thousand people at a million):
          -- the stored primary code against the query's codes, which $14 carries as code|outcode.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_phonetic_outcode' from person p
            where $6 is null and p.area_id = $1 and cardinality($14) > 0
              and p.postcode_outcode = split_part($14[1], '|', 2)
              and p.given_names_metaphone[1] = any (array(select split_part(k, '|', 1) from unnest($14) k))
            order by p.dob_year = extract(year from $6)::int desc nulls last,
                     similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- The surname as written (or a previous one given), when a side has no date of birth, the closest
          -- forenames first: ranked from the index alone (a common surname has thousands of people at a million),
          -- then only the kept hundred read.
          (select s.id, similarity(p.full_name_normalised, $3) as sim, 'surname' from (
             select q.id from person q
              where q.area_id = $1 and q.family_name_normalised = any ($2) and ($6 is null or q.date_of_birth is null)
              order by similarity(q.given_names_normalised, $4) desc, q.id
              limit $18) s
             join person p on p.id = s.id)
          union all
          -- No date of birth given: a surname one slip away with the forenames' initial, or a previous surname
          -- recorded (the surname + initial arm above reads codes that sound alike).
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_slip' from person p
            where $6 is null and p.area_id = $1
              and (p.other_surnames_normalised && $2
                   or marac_tagged_keys(marac_deletion_keys(p.family_name_normalised), left(p.full_name_normalised, 1))
                      && $21)
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
        ),
        -- The trigram arm is the costliest (a common name's trigrams are in tens of thousands of rows at a
        -- million people), so it runs only when the indexed arms found no name as close as 0.6, and keeps names
        -- at least that close (0.5 in 0011): it is there for names slipped and swapped beyond what the keys catch.
        trigram as (
          select p.id, similarity(p.full_name_normalised, $3) as sim, 'trigram' as arm from person p
            where (select coalesce(max(i.sim), 0) < 0.6 from indexed i)
              and p.area_id = $1 and $3 <> ''
              -- Either order of initials, so forenames and surname recorded the other way round still meet.
              and ((left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $9[1] || $9[2]
                    and p.full_name_normalised % $3)
                   or (left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $9[2] || $9[1]
                       and p.full_name_normalised % $3))
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $19
        ),
        hits as (select * from indexed union all select * from trigram),
        found as (
          select h.id, array_agg(distinct h.arm order by h.arm) as arms, count(distinct h.arm) as arm_count,
                 max(h.sim) as best_similarity
            from hits h
           group by h.id
           -- Found by more arms first, then the most similar names, so the cap drops the weakest.
           order by count(distinct h.arm) desc, max(h.sim) desc, h.id
           limit $20
        )
        select p.id, p.identity_id, p.external_id, p.given_names, p.family_name, p.aliases, p.previous_surnames,
               p.date_of_birth, p.postcode_outcode, f.arms
          from found f
          join person p on p.id = f.id
         where $17::uuid is null
            or not exists (select 1 from case_person cp where cp.person_id = p.id and cp.case_id = $17)
         order by f.arm_count desc, f.best_similarity desc, p.id
      $q$
      using p_area_id, p_surnames, p_full, p_given, p_canonical, p_dob, p_dob_swapped, p_dob_near, p_initials,
            p_year_keys, p_initial_keys, p_forename_year_keys, p_pair_keys, p_outcode_keys, p_surname_part_keys,
            p_forename_part_keys, p_exclude_case, p_arm_limit, p_trigram_limit, p_cap,
            p_surname_deletions;
    end
  $fn$;
revoke all on function marac_person_candidates_unchecked(uuid, text[], text, text, text[], date, date, date[], text[],
  text[], text[], text[], text[], text[], text[], text[], uuid, integer, integer, integer, text[]) from public;

-- The candidate search for the service: only a referrer, coordinator or IDVA
-- of the area may ask, and it answers for that area only. SECURITY DEFINER
-- because row-level security rightly hides other referrals' people from a
-- referrer; like marac_match_person it must go on hiding them, so what it
-- returns is only what scoring needs, and a coordinator confirms every link.
create function marac_person_candidates(
  p_area_id uuid, p_surnames text[], p_full text, p_given text, p_canonical text[], p_dob date, p_dob_swapped date,
  p_dob_near date[], p_initials text[], p_year_keys text[], p_initial_keys text[], p_forename_year_keys text[],
  p_pair_keys text[], p_outcode_keys text[], p_surname_part_keys text[], p_forename_part_keys text[],
  p_exclude_case uuid, p_arm_limit integer, p_trigram_limit integer, p_cap integer,
  p_surname_deletions text[])
  returns table (id uuid, identity_id uuid, external_id text, given_names text, family_name text, aliases text[],
                 previous_surnames text[], date_of_birth date, postcode_outcode text, arms text[])
  language plpgsql stable security definer
  set search_path = public, pg_temp
  as $$
    begin
      if not marac_has_area_role(p_area_id, array['referrer', 'coordinator', 'idva']) then
        raise exception 'not allowed to match people in this area' using errcode = '42501';
      end if;
      return query select * from marac_person_candidates_unchecked(p_area_id, p_surnames, p_full, p_given,
        p_canonical, p_dob, p_dob_swapped, p_dob_near, p_initials, p_year_keys, p_initial_keys, p_forename_year_keys,
        p_pair_keys, p_outcode_keys, p_surname_part_keys, p_forename_part_keys, p_exclude_case,
        least(p_arm_limit, 500), least(p_trigram_limit, 100), least(p_cap, 500), p_surname_deletions);
    end
  $$;
revoke all on function marac_person_candidates(uuid, text[], text, text, text[], date, date, date[], text[], text[],
  text[], text[], text[], text[], text[], text[], uuid, integer, integer, integer, text[]) from public;
grant execute on function marac_person_candidates(uuid, text[], text, text, text[], date, date, date[], text[], text[],
  text[], text[], text[], text[], text[], text[], uuid, integer, integer, integer, text[]) to marac_app;

-- What scoring needs to know of the area besides the candidates: how many
-- people it holds (the strong band's threshold grows with it) and how many
-- carry a given normalised surname (the term-frequency adjustment). Counts
-- only, for those allowed to match in the area; row-level security would
-- otherwise count only the rows the caller may read.
create function marac_area_name_counts(p_area_id uuid, p_surnames text[])
  returns table (population bigint, surname text, people bigint)
  language plpgsql stable security definer
  set search_path = public, pg_temp
  as $$
    begin
      if not marac_has_area_role(p_area_id, array['referrer', 'coordinator', 'idva']) then
        raise exception 'not allowed to match people in this area' using errcode = '42501';
      end if;
      return query
        select (select count(*) from person where area_id = p_area_id), s.surname,
               (select count(*) from person p where p.area_id = p_area_id and p.family_name_normalised = s.surname)
          from unnest(p_surnames) as s(surname);
    end
  $$;
revoke all on function marac_area_name_counts(uuid, text[]) from public;
grant execute on function marac_area_name_counts(uuid, text[]) to marac_app;
