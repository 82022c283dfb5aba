-- What a referral holds beyond 0007 (see ../shared/domain/marac.md, "What a referral holds").
-- Codes, yes/no, dates and counts stay in plain jsonb (referral.answers, person.attributes), each checked by a
-- strict schema in src/features/referrals/answers.ts; every piece of free text, and anything that could locate or
-- reach a person, is sealed (src/platform/crypto) as one JSON value per row: referral.details, person.details.

-- Some areas require the referrer's line manager to sign a referral off before it is submitted.
alter table marac_area add column requires_manager_sign_off boolean not null default false;
-- The area's overrides of the national referral criteria (src/features/referrals/rules/settings.ts).
alter table marac_area add column criteria_settings jsonb not null default '{}'::jsonb
  check (jsonb_typeof(criteria_settings) = 'object');

-- The referral's free text that has no column of its own (referrer's role and phone, manager's name, why the
-- victim is not aware, the lawful basis reason, who the victim fears, who is safe to talk to, wishes, the
-- narrative's when/where/injuries, previous MARAC history, another tool's name): sealed, never plaintext.
alter table referral add column details text check (details ~ '^v1\.');

-- A person's codes (gender, approximate age, unborn and expected date, present at incidents, relationship to
-- each perpetrator...) and sealed details (address, school, in whose care, risk to professionals).
alter table person add column attributes jsonb not null default '{}'::jsonb
  check (jsonb_typeof(attributes) = 'object');
alter table person add column details text check (details ~ '^v1\.');
