-- Person matching, third version: block and score on the full postcode
-- without storing it. person.postcode_key is a keyed hash (HMAC-SHA256 with
-- the matching index key, held outside the database) of the person's full
-- postcode; see src/features/people/matching/postcode-key.ts.
alter table person add column postcode_key text;
create index person_postcode_key_idx on person (area_id, postcode_key) where postcode_key is not null;
