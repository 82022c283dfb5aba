-- Person matching, seventh version: three blocking misses the matching
-- benchmark at a million people found (docs/matching-benchmark.md, the round
-- of 0018):
-- - the forename + date-part arm (forename_dob_part) also reads the canonical
--   forename (the nickname table's), so a nickname that sounds unlike the
--   full name ("Lottie" for Charlotte), with a new surname and a slipped
--   date, still meets her. Its index is rebuilt on the wider key;
-- - the cap keeps the people at the same full postcode before all others. A
--   referral giving a new surname and the old one fills the cap with two
--   hundred people under those surnames; the one person at her postcode (an
--   agreement worth more than any surname) was dropped for them;
-- - the two date-part arms, over their limit, keep the people born on the date
--   given (or with day and month exchanged) before those with closer names: a
--   common forename born in the month given fills the forename arm's hundred,
--   and the one born on the day, under a new surname, was the one left out.
-- The function's signature is unchanged, so it is replaced in place and
-- marac_person_candidates (0014), which checks the caller's role, calls it.

drop index person_forename_dob_part_idx;
create index person_forename_dob_part_idx on person
  using gin (marac_dob_part_keys(given_names_metaphone || forename_canonical, dob_year, dob_month, dob_day))
  with (fastupdate = off);

create or replace function marac_person_candidates_unchecked(
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
  p_forename_part_keys text[], -- $16: marac_dob_part_keys(forename codes and canonical forenames, the date's parts)
  p_exclude_case uuid,    -- $17: people on this case are not candidates (the referral being matched)
  p_arm_limit integer,    -- $18
  p_trigram_limit integer, -- $19
  p_cap integer,          -- $20
  p_surname_deletions text[], -- $21: marac_tagged_keys(deletion keys of each surname given, forenames' initial)
  p_postcode_key text,    -- $22: the postcode key of the full postcode given, or null
  p_birth_year integer,   -- $23: without a date of birth, the year an approximate age gives; else null
  p_forename_codes text[], -- $24: the forenames' Double Metaphone codes
  p_surname_year_keys text[]) -- $25: marac_tagged_keys(deletion keys of each surname given, each year within
                              --      three of p_birth_year); empty without it
  returns table (id uuid, identity_id uuid, external_id text, given_names text, family_name text, aliases text[],
                 previous_surnames text[], date_of_birth date, postcode_outcode text, postcode_key text, arms text[])
  language plpgsql stable
  set search_path = public, pg_temp
  set pg_trgm.similarity_threshold = 0.6
  -- One query, answered while a coordinator waits: parallel workers cost more to start, and JIT compiling the plan
  -- (its estimated cost passes jit_above_cost at a million people) takes longer, than the few thousand rows the
  -- arms read: EXPLAIN ANALYZE at a million people showed tens of milliseconds of each.
  set max_parallel_workers_per_gather = 0
  set jit = off
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
            order by p.date_of_birth in ($6, $7) desc nulls last, similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- The same for a forename code or canonical forename (a nickname sounds unlike its full name), for a
          -- referral that gives a new surname and a slipped date.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'forename_dob_part' from person p
            where p.area_id = $1
              and marac_dob_part_keys(p.given_names_metaphone || p.forename_canonical, p.dob_year, p.dob_month,
                                      p.dob_day) && $16
            order by p.date_of_birth in ($6, $7) desc nulls last, similarity(p.full_name_normalised, $3) desc, p.id
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
          -- then only the kept hundred read. Each surname given has its own hundred.
          (select s.id, similarity(p.full_name_normalised, $3) as sim, 'surname' from unnest($2) g(surname)
             cross join lateral (
               select q.id from person q
                where q.area_id = $1 and q.family_name_normalised = g.surname and ($6 is null or q.date_of_birth is null)
                order by similarity(q.given_names_normalised, $4) desc,
                         abs(extract(year from q.date_of_birth) - $23) nulls last, q.id
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
          union all
          -- The same full postcode (about fifteen addresses), whatever the names and date say: a referral with a
          -- new surname and no date of birth still gives where she lives, unless she has moved.
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'postcode' from person p
            where $22 is not null and p.area_id = $1 and p.postcode_key = $22
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
          union all
          -- No date of birth but an approximate age: a forename code born within three years of the year it gives,
          -- for a referral whose surname is new or slipped beyond the keys above. Read from
          -- person_forename_year_idx alone, the closest names by edit distance kept (cheaper than similarity over
          -- thousands of rows; levenshtein refuses strings over 255 characters).
          (select f.id, similarity(f.full_name_normalised, $3) as sim, 'forename_age' from (
             select p.id, p.full_name_normalised from person p
              where $23 is not null and p.area_id = $1
                and p.given_names_metaphone[1] = any ($24)
                and p.dob_year between $23 - 3 and $23 + 3
              order by levenshtein(left(p.full_name_normalised, 255), left($3, 255)), p.id
              limit $18) f)
          union all
          -- A date of birth given, but people recorded without one: a surname one slip away with the forenames'
          -- initial (the surname arm above meets the surname as written).
          (select p.id, similarity(p.full_name_normalised, $3) as sim, 'undated_surname_slip' from person p
            where $6 is not null and p.area_id = $1 and p.date_of_birth is null
              and marac_tagged_keys(marac_deletion_keys(p.family_name_normalised), left(p.full_name_normalised, 1))
                  && $21
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18)
        ),
        -- The trigram arm was the costliest (a common name's trigrams are in tens of thousands of rows at a
        -- million people; its GiST index above reads a tenth of what GIN did), so it runs only without a date of
        -- birth (with one, the date arms read it four ways) and
        -- when the indexed arms found no name as close as 0.6, and keeps names at least that close (0.5 in 0011):
        -- it is there for names slipped and swapped beyond what the keys catch.
        trigram as (
          select p.id, similarity(p.full_name_normalised, $3) as sim, 'trigram' as arm from person p
            where $6 is null and (select coalesce(max(i.sim), 0) < 0.6 from indexed i)
              and p.area_id = $1 and $3 <> ''
              -- Either order of initials, so forenames and surname recorded the other way round still meet.
              and ((left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $9[1] || $9[2]
                    and p.full_name_normalised % $3)
                   or (left(p.full_name_normalised, 1) || left(p.family_name_normalised, 1) = $9[2] || $9[1]
                       and p.full_name_normalised % $3))
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $19
        ),
        -- With an approximate age, a surname one slip away by year of birth: for a forename slipped at its start
        -- ("melia" for Amelia), which no forename key or initial meets. A common surname has thousands of people
        -- within three years at a million, read from the heap, so like the trigram arm it runs only when the
        -- indexed arms found no name as close as 0.6.
        slipped as (
          select p.id, similarity(p.full_name_normalised, $3) as sim, 'surname_slip_age' as arm from person p
            where cardinality($25) > 0 and (select coalesce(max(i.sim), 0) < 0.6 from indexed i)
              and p.area_id = $1
              and marac_tagged_keys(marac_deletion_keys(p.family_name_normalised), p.dob_year::text) && $25
            order by similarity(p.full_name_normalised, $3) desc, p.id
            limit $18
        ),
        hits as (select * from indexed union all select * from slipped union all select * from trigram),
        found as (
          select h.id, array_agg(distinct h.arm order by h.arm) as arms, count(distinct h.arm) as arm_count,
                 max(h.sim) as best_similarity
            from hits h
           group by h.id
           -- The same full postcode first (see the header); then a surname as given, or a surname or forename with
           -- the date of birth; then found by more arms, then the most similar names, so the cap drops the weakest.
           order by bool_or(h.arm = 'postcode') desc,
                    bool_or(h.arm in ('surname', 'surname_dob', 'forename_dob')) desc,
                    count(distinct h.arm) desc, max(h.sim) desc, h.id
           limit $20
        )
        select p.id, p.identity_id, p.external_id, p.given_names, p.family_name, p.aliases, p.previous_surnames,
               p.date_of_birth, p.postcode_outcode, p.postcode_key, f.arms
          from found f
          join person p on p.id = f.id
         where $17::uuid is null
            or not exists (select 1 from case_person cp where cp.person_id = p.id and cp.case_id = $17)
         order by f.arm_count desc, f.best_similarity desc, p.id
      $q$
      using p_area_id, p_surnames, p_full, p_given, p_canonical, p_dob, p_dob_swapped, p_dob_near, p_initials,
            p_year_keys, p_initial_keys, p_forename_year_keys, p_pair_keys, p_outcode_keys, p_surname_part_keys,
            p_forename_part_keys, p_exclude_case, p_arm_limit, p_trigram_limit, p_cap,
            p_surname_deletions, p_postcode_key, p_birth_year, p_forename_codes, p_surname_year_keys;
    end
  $fn$;

