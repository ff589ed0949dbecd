-- The staff workspace: audit trail, API tokens, per-unit targets, kiosk devices, paper entry.

-- Append-only record of sensitive acts. Rows are never updated or deleted: a trigger refuses it.
create table audit_log (
	id bigserial primary key,
	at timestamptz not null default now(),
	actor_id text,
	actor_email text,
	action text not null,
	target text,
	detail jsonb not null default '{}',
	client text
);
create index audit_log_at on audit_log (at desc);
create index audit_log_action on audit_log (action, at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_append_only before update or delete on audit_log
	for each row execute function audit_log_append_only();

-- Read-only tokens for BI tools. Only the SHA-256 of the secret is kept; it is shown once.
create table api_tokens (
	id text primary key,
	user_id text not null references users (id),
	name text not null,
	token_hash text not null unique,
	created_at timestamptz not null default now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);
create index api_tokens_user on api_tokens (user_id);

-- A target for one indicator, over a unit's subtree, for a span of dates. The deepest unit wins.
create table target_overrides (
	id serial primary key,
	survey_id text not null references surveys (id),
	indicator_id text not null,
	unit_code text not null references units (code),
	valid_from date not null,
	valid_to date not null,
	target numeric(5, 4) not null check (target > 0 and target <= 1),
	created_by text,
	created_at timestamptz not null default now(),
	check (valid_from <= valid_to)
);
create index target_overrides_lookup on target_overrides (survey_id, unit_code);

-- Kiosk tablets. A device is paired with a one-time code; it then holds a bearer token whose
-- SHA-256 is kept here. Revoking a device ends that token.
create table devices (
	id text primary key,
	touchpoint_id integer not null references touchpoints (id),
	name text not null,
	token_hash text unique,
	pairing_code_hash text unique,
	pairing_expires_at timestamptz,
	paired_at timestamptz,
	revoked_at timestamptz,
	last_seen_at timestamptz,
	created_by text,
	created_at timestamptz not null default now()
);

alter table users add column name text;
-- TOTP secret (20 random bytes) once the second factor is confirmed; null when not enrolled.
alter table users add column totp_key bytea;
alter table users add column password_changed_at timestamptz;

-- Paper questionnaires keep their printed serial number and who keyed them in.
alter table responses add column serial text;
alter table responses add column entered_by text;

-- A session of a user with a second factor counts only once the code was given in it.
alter table sessions add column two_factor_verified boolean not null default false;
