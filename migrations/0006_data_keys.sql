-- Each case's data key, for the field-level encryption of its most dangerous
-- fields (safe contact details, addresses, narratives): src/platform/crypto.
-- Only the wrapped key is stored, encrypted by a key-encryption key (KEK)
-- that comes from the environment or a key file, never from the database.
-- Deleting a row shreds every encrypted field of its case.
create table case_data_key (
  case_id uuid primary key references marac_case (id) on delete cascade,
  -- The KEK version that wraps the key; rotation re-wraps to the newest.
  kek_version integer not null check (kek_version > 0),
  -- v1.<nonce>.<ciphertext and tag>, base64url.
  wrapped_key text not null check (wrapped_key ~ '^v[0-9]+\.[A-Za-z0-9_.-]+$' and length(wrapped_key) <= 200),
  created_at timestamptz not null default now(),
  rotated_at timestamptz
);
create index case_data_key_kek_version_idx on case_data_key (kek_version);

-- A data key is visible, and may be created, exactly when its case is.
alter table case_data_key enable row level security;
create policy case_data_key_visible on case_data_key to marac_app
  using (exists (select 1 from marac_case c where c.id = case_id));

-- No UPDATE: the application creates and shreds data keys; only rotation,
-- on the owner's connection, rewrites them.
grant select, insert, delete on case_data_key to marac_app;
