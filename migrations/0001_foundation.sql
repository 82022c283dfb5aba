-- Extensions Open MARAC relies on. All four are "trusted" from PostgreSQL 13,
-- so the database owner can create them without superuser rights.
create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;
create extension if not exists unaccent;
create extension if not exists btree_gin;

-- A MARAC area: one conference (or a set of meetings) serving a geography.
create table marac_area (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 120),
  created_at timestamptz not null default now()
);

-- An agency that can refer to, or take part in, a MARAC. The kinds follow the
-- SafeLives referral-source categories used in the quarterly data return.
create table agency (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 160),
  kind text not null check (kind in (
    'police', 'idva', 'childrens_social_care', 'adult_social_care', 'primary_care',
    'acute_health', 'mental_health', 'substance_misuse', 'housing', 'probation',
    'education', 'specialist_voluntary', 'other'
  )),
  created_at timestamptz not null default now()
);

-- Which agencies take part in which area's MARAC.
create table area_agency (
  area_id uuid not null references marac_area (id) on delete cascade,
  agency_id uuid not null references agency (id) on delete cascade,
  primary key (area_id, agency_id)
);
create index area_agency_agency_idx on area_agency (agency_id);
