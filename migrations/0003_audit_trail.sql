-- The audit trail: one row for every sign-in event, read of case data, change,
-- export and denial, written in the same transaction as what it records.
--
-- Append-only: the application role may only SELECT and INSERT, and triggers
-- refuse UPDATE, DELETE and TRUNCATE for everyone else short of the table
-- owner disabling them.
--
-- Tamper-evident: rows form a hash chain in `seq` order. Each row's `hash` is
-- SHA-256 over a canonical encoding of its content and the previous row's
-- hash, computed in TypeScript (auditHash in src/platform/audit/audit.ts, the
-- one place the writer and the verifier share). The database checks that each
-- new row extends the chain (next seq, previous hash); the verifier recomputes
-- every hash. Rows hold ids and codes only, never personal data: the CHECKs on the
-- text columns refuse spaces, '@' and other free-text characters.
create table audit_event (
  -- Chain position: 1, 2, 3 … with no gaps (see audit_event_extends_chain).
  seq bigint primary key check (seq > 0),
  -- UTC, truncated to milliseconds so it round-trips exactly through a JS Date.
  occurred_at timestamptz not null check (occurred_at = date_trunc('milliseconds', occurred_at)),
  actor_user_id uuid,
  actor_agency_id uuid,
  actor_role text check (actor_role ~ '^[a-z][a-z0-9_]{0,39}$'),
  -- The vocabulary lives in src/platform/audit/actions.ts; here its shape.
  action text not null check (action ~ '^[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,59}$'),
  subject_type text not null check (subject_type ~ '^[a-z][a-z0-9_]{0,39}$'),
  subject_id text check (subject_id ~ '^[A-Za-z0-9_.:/-]{1,200}$'),
  case_id uuid,
  purpose text check (purpose in (
    'triage', 'meeting_preparation', 'direct_care', 'safeguarding', 'research', 'administration', 'audit_review'
  )),
  outcome text not null check (outcome in ('success', 'denied', 'failed')),
  request_id text not null check (request_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  prev_hash text check ((seq = 1 and prev_hash is null) or (seq > 1 and prev_hash ~ '^[0-9a-f]{64}$')),
  hash text not null check (hash ~ '^[0-9a-f]{64}$')
);

comment on table audit_event is
  'Append-only, hash-chained audit trail. Never update or delete; verify with marac audit verify.';

-- The audit viewer filters by actor, case, action and date, newest first (seq
-- order); "who has viewed this record" groups the reads of one subject or case.
create index audit_event_actor_idx on audit_event (actor_user_id, seq);
create index audit_event_case_idx on audit_event (case_id, seq);
create index audit_event_action_idx on audit_event (action, seq);
create index audit_event_occurred_at_idx on audit_event (occurred_at);
create index audit_event_subject_idx on audit_event (subject_type, subject_id, actor_user_id);

-- Refuses any change to a written row, whoever asks. Only the table owner can
-- get past it (ALTER TABLE … DISABLE TRIGGER), and the hash chain then shows it.
create function audit_event_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege',
          hint = 'Audit rows are never changed or removed; record a new event instead.';
end
$$;

create trigger audit_event_no_update_or_delete
  before update or delete on audit_event
  for each row execute function audit_event_refuse_change();

create trigger audit_event_no_truncate
  before truncate on audit_event
  for each statement execute function audit_event_refuse_change();

-- Each new row must take the next position and name the last row's hash, so
-- a writer that skipped recordAudit's lock fails (unique seq) instead of
-- forking the chain, and no row can be slipped in out of order. It runs as the
-- inserting role and must see the true last row: if row-level security is ever
-- put on audit_event, this check and recordAudit's read of the last row must
-- be exempted from it, or writers limited to part of the trail would fork it.
create function audit_event_extends_chain() returns trigger
language plpgsql as $$
declare
  last_seq bigint;
  last_hash text;
begin
  select seq, hash into last_seq, last_hash from audit_event order by seq desc limit 1;
  if new.seq is distinct from coalesce(last_seq, 0) + 1 or new.prev_hash is distinct from last_hash then
    raise exception 'audit_event % does not extend the chain (last row is %)', new.seq, coalesce(last_seq, 0)
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end
$$;

create trigger audit_event_extends_chain
  before insert on audit_event
  for each row execute function audit_event_extends_chain();

-- The application role reads and appends, nothing else. seq comes from the
-- chain itself, not a sequence, so there is no sequence to grant.
revoke all on audit_event from public;
grant select, insert on audit_event to marac_app;
