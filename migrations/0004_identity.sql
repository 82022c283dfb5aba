-- People who use Open MARAC, what they may do where, and how they sign in.

-- A user belongs to one agency (a system administrator or information-
-- governance officer may belong to none). Email is the sign-in name.
create table app_user (
  id uuid primary key default gen_random_uuid(),
  email text not null check (email = lower(email) and email like '%_@_%'),
  display_name text not null check (length(display_name) between 1 and 120),
  agency_id uuid references agency (id),
  status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
  -- Service-wide roles. Neither gives any access to case data.
  global_role text check (global_role in ('system_admin', 'information_governance')),
  password_hash text,
  totp_secret text,
  totp_last_step bigint,
  mfa_enrolled_at timestamptz,
  locked_until timestamptz,
  created_at timestamptz not null default now()
);
create unique index app_user_email_idx on app_user (email);

-- A role in one MARAC area. One user may hold several (an IDVA who also refers).
create table membership (
  user_id uuid not null references app_user (id) on delete cascade,
  area_id uuid not null references marac_area (id) on delete cascade,
  role text not null check (role in ('coordinator', 'chair', 'agency_representative', 'idva', 'referrer', 'analyst')),
  created_at timestamptz not null default now(),
  primary key (user_id, area_id, role)
);
create index membership_area_idx on membership (area_id);

-- Server-side sessions: only the SHA-256 of the cookie's token is stored.
create table user_session (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  user_id uuid not null references app_user (id) on delete cascade,
  -- false until the second factor is given: such a session reaches only the MFA pages.
  mfa_passed boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  ended_reason text check (ended_reason in ('sign_out', 'sign_out_everywhere', 'idle', 'absolute', 'disabled', 'replaced'))
);
create index user_session_user_idx on user_session (user_id) where ended_at is null;

-- Single-use links: invitations (set a first password) and password resets.
create table one_time_link (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  purpose text not null check (purpose in ('invitation', 'password_reset')),
  user_id uuid not null references app_user (id) on delete cascade,
  created_by uuid references app_user (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index one_time_link_user_idx on one_time_link (user_id);

create table recovery_code (
  user_id uuid not null references app_user (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- Failed sign-ins, for the lockout rule (10 in 5 minutes locks for 15).
create table sign_in_failure (
  user_id uuid not null references app_user (id) on delete cascade,
  failed_at timestamptz not null default now()
);
create index sign_in_failure_idx on sign_in_failure (user_id, failed_at);

grant select, insert, update, delete on app_user, membership, user_session, one_time_link, recovery_code,
  sign_in_failure to marac_app;
