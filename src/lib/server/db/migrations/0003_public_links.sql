-- Keeping public links honest (one-time receipt tokens, duplicate flags) and contact consent.

-- One-time tokens printed on appointment receipts: each admits exactly one response. Kept in
-- clear so staff can reprint a lost sheet; a token is worth one anonymous answer, no more.
create table receipt_tokens (
	token text primary key,
	touchpoint_id integer not null references touchpoints (id),
	batch_id text not null,
	created_at timestamptz not null default now(),
	used_at timestamptz,
	response_id uuid
);
create index receipt_tokens_batch on receipt_tokens (batch_id);

-- The salt of the day for client fingerprints. Old salts are deleted, so an old fingerprint can
-- no longer be tied to an address.
create table client_salts (
	day date primary key,
	salt text not null
);

-- A salted hash of client address and browser, kept briefly for rate limits and duplicate flags,
-- and a hash of touchpoint and answers: equal pairs within minutes are suspected duplicates.
alter table responses add column client_hash text;
alter table responses add column answers_hash text;
-- Why a response is left out of results by default ('duplicate'); null for counted ones.
alter table responses add column flag text;
create index responses_recent_client on responses (client_hash, answers_hash, received_at)
	where client_hash is not null;

-- Results read counted responses only, so the covering index leaves flagged ones out.
drop index responses_results;
create index responses_results on responses (survey_id, unit_code, local_date)
	include (survey_version_id, scores) where flag is null;
create index responses_flagged on responses (survey_id, local_date) where flag is not null;

-- Name and phone, given only with consent and kept apart from the answers.
create table response_contacts (
	response_id uuid primary key references responses (id) on delete cascade,
	name text,
	phone text,
	purpose text not null,
	consented_at timestamptz not null
);
