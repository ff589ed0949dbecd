-- Responses partitioned by the month of local_date. Periods are ranges of local_date, so a
-- quarter reads three partitions however many years are stored, and an old month can be
-- detached and archived whole (docs/scaling.md).

-- A partitioned table's unique keys must include local_date, and a replay may carry another
-- date than the first copy (a device clock judged implausible falls back to the receipt time).
-- This registry keeps every id once across all months, with the content hash that tells a
-- replay from a conflicting reuse; writers claim the id here in the statement that inserts.
create table response_ids (
	id uuid not null,
	content_hash text not null
);

alter table responses rename to responses_unpartitioned;

-- The columns of the table it replaces, in the same order.
create table responses (
	id uuid not null,
	survey_id text not null,
	survey_version_id integer not null,
	touchpoint_id integer,
	unit_code text not null,
	root_unit text not null,
	channel text not null,
	locale text not null,
	reported_at timestamptz,
	received_at timestamptz not null,
	effective_at timestamptz not null,
	local_date date not null,
	answers jsonb not null,
	scores smallint[] not null,
	content_hash text not null,
	client_hash text,
	answers_hash text,
	flag text,
	serial text,
	entered_by text,
	comment text,
	low_rating boolean not null default false
) partition by range (local_date);

-- Catches every date without a month partition (a paper questionnaire from years ago, a month
-- not created yet), so no insert ever fails for want of a partition.
create table responses_default partition of responses default;

-- Creates the partition for the month of `day` unless responses already has it; rows of that
-- month already caught by the default partition move into it. The table is built apart and then
-- attached: ATTACH takes a lighter lock on responses than CREATE TABLE … PARTITION OF, so reads
-- and inserts into other months go on meanwhile. status: created | exists | name_taken (a table
-- of that name that is not a partition, e.g. a detached archive: left alone).
create function responses_add_month(day date, out partition text, out status text, out moved bigint)
language plpgsql as $$
declare
	first date := month_of(day);
	next date := (month_of(day) + interval '1 month')::date;
begin
	partition := 'responses_' || to_char(first, 'YYYY_MM');
	moved := 0;
	-- Any constant will do: it keeps two processes from creating the same month at once.
	perform pg_advisory_xact_lock(480792019);
	if exists (
		select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
		where i.inhparent = 'responses'::regclass and c.relname = partition
	) then
		status := 'exists';
		return;
	end if;
	if to_regclass(quote_ident(partition)) is not null then
		status := 'name_taken';
		return;
	end if;
	execute format('create table %I (like responses including defaults)', partition);
	-- Statement triggers belong to responses, not to its partitions: moving rows between two
	-- partitions marks no roll-up pending and releases no id.
	execute format(
		'with m as (delete from responses_default where local_date >= $1 and local_date < $2 returning *)
		insert into %I select * from m', partition) using first, next;
	get diagnostics moved = row_count;
	-- With this check in place ATTACH need not scan the new table to prove its rows belong.
	execute format('alter table %I add constraint %I check (local_date >= %L and local_date < %L)',
		partition, partition || '_range', first, next);
	execute format('alter table responses attach partition %I for values from (%L) to (%L)',
		partition, first, next);
	execute format('alter table %I drop constraint %I', partition, partition || '_range');
	status := 'created';
end $$;

-- One partition for every month the stored responses occupy, and for this month and the next
-- three (Viet Nam time, UTC+7 all year); the server keeps creating months ahead from then on.
select responses_add_month(m)
from (
	select distinct month_of(local_date) as m from responses_unpartitioned
	union
	select (month_of((now() at time zone 'UTC' + interval '7 hours')::date)
		+ n * interval '1 month')::date
	from generate_series(0, 3) as n
) months
order by m;

insert into response_ids (id, content_hash)
select id, content_hash from responses_unpartitioned;
-- Built once over the sorted ids: five times faster than growing it row by row.
alter table response_ids add primary key (id);

insert into responses (id, survey_id, survey_version_id, touchpoint_id, unit_code, root_unit,
	channel, locale, reported_at, received_at, effective_at, local_date, answers, scores,
	content_hash, client_hash, answers_hash, flag, serial, entered_by, comment, low_rating)
select id, survey_id, survey_version_id, touchpoint_id, unit_code, root_unit,
	channel, locale, reported_at, received_at, effective_at, local_date, answers, scores,
	content_hash, client_hash, answers_hash, flag, serial, entered_by, comment, low_rating
from responses_unpartitioned;

-- Contacts now hang on the registry: still one per stored response, still gone with it.
alter table response_contacts drop constraint response_contacts_response_id_fkey;
drop table responses_unpartitioned;
alter table response_contacts add constraint response_contacts_response_id_fkey
	foreign key (response_id) references response_ids (id) on delete cascade;

-- Keys, foreign keys and indexes after the copy: one bulk build each instead of row by row.
alter table responses add primary key (id, local_date);
alter table responses add constraint responses_survey_version_id_fkey
	foreign key (survey_version_id) references survey_versions (id);
alter table responses add constraint responses_touchpoint_id_fkey
	foreign key (touchpoint_id) references touchpoints (id);
alter table responses add constraint responses_unit_code_fkey
	foreign key (unit_code) references units (code);

create index responses_results on responses (survey_id, unit_code, local_date)
	include (survey_version_id, scores) where flag is null;
create index responses_flagged on responses (survey_id, local_date) where flag is not null;
create index responses_recent_client on responses (client_hash, answers_hash, received_at)
	where client_hash is not null;
create index responses_comments on responses (local_date, unit_code) where comment is not null;
create index responses_export on responses (survey_id, unit_code, local_date, id);

-- The roll-up marks of 0008 as before: statement triggers with transition tables are allowed on
-- a partitioned table and see the rows of every partition the statement wrote.
create trigger responses_rollup_insert after insert on responses
	referencing new table as new_rows for each statement execute function rollup_mark_new();
create trigger responses_rollup_update after update on responses
	referencing old table as old_rows new table as new_rows
	for each statement execute function rollup_mark_both();
create trigger responses_rollup_delete after delete on responses
	referencing old table as old_rows for each statement execute function rollup_mark_old();

-- No response without its id claimed in the registry: a writer that forgot it would bypass
-- idempotency unseen. Checked per statement as a set, not as a foreign key: validating one
-- partition by partition against the whole registry, or checking and locking a registry row per
-- inserted row, took longer than the rest of the conversion together.
create function responses_require_claim() returns trigger language plpgsql as $$
begin
	if exists (select 1 from new_rows n where not exists (select 1 from response_ids i where i.id = n.id)) then
		raise exception 'a response was inserted without claiming its id in response_ids'
			using errcode = 'foreign_key_violation';
	end if;
	return null;
end $$;
create trigger responses_require_claim after insert on responses
	referencing new table as new_rows for each statement execute function responses_require_claim();

-- A deleted response gives its id back, as deleting the row did when the id was its key, and
-- takes its contact details with it (response_contacts cascades from the registry).
create function response_ids_release() returns trigger language plpgsql as $$
begin
	delete from response_ids i using old_rows o where i.id = o.id;
	return null;
end $$;
create trigger responses_release_ids after delete on responses
	referencing old table as old_rows for each statement execute function response_ids_release();
