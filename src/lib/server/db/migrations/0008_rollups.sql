-- Monthly roll-ups of the results, so a province-wide quarter reads thousands of summed rows
-- instead of unnesting every answer. Exactness rests on one rule: a (survey, unit, month) with a
-- row in rollup_pending is read from the raw responses, never from its roll-up.

-- Months whose roll-up is missing or out of date. Append-only: every statement that writes
-- responses adds its months here (the triggers below), so concurrent inserts never wait on
-- each other; the refresher deletes what it has recomputed.
create table rollup_pending (
	survey_id text not null,
	unit_code text not null,
	month date not null
);
create index rollup_pending_key on rollup_pending (survey_id, unit_code, month);

-- Per survey, unit, month and channel: responses counted in results, those left out (flagged),
-- and for each mean_of_item_rates indicator (in the order of the survey's current definition)
-- the responses with at least one valid answer among its questions.
create table rollup_months (
	survey_id text not null,
	unit_code text not null,
	month date not null,
	channel text not null,
	responses integer not null,
	flagged integer not null,
	mean_counts integer[] not null,
	primary key (survey_id, unit_code, month, channel)
);

-- Per survey, unit, month, channel, version, scale position and value (0 = N/A): how many.
create table rollup_answers (
	survey_id text not null,
	unit_code text not null,
	month date not null,
	channel text not null,
	survey_version_id integer not null,
	pos smallint not null,
	value smallint not null,
	n integer not null,
	primary key (survey_id, unit_code, month, channel, survey_version_id, pos, value)
);

-- What the mean_counts were computed for; a survey whose current definition no longer matches
-- is read raw until its roll-ups are rebuilt.
create table rollup_signatures (
	survey_id text primary key,
	signature text not null
);

-- The first day of a date's month, by date arithmetic alone (no time zone involved).
create function month_of(date) returns date language sql immutable strict parallel safe as $$
	select $1 - extract(day from $1)::integer + 1
$$;

create function rollup_mark_new() returns trigger language plpgsql as $$
begin
	insert into rollup_pending (survey_id, unit_code, month)
	select distinct survey_id, unit_code, month_of(local_date) from new_rows;
	return null;
end $$;

create function rollup_mark_old() returns trigger language plpgsql as $$
begin
	insert into rollup_pending (survey_id, unit_code, month)
	select distinct survey_id, unit_code, month_of(local_date) from old_rows;
	return null;
end $$;

create function rollup_mark_both() returns trigger language plpgsql as $$
begin
	insert into rollup_pending (survey_id, unit_code, month)
	select survey_id, unit_code, month_of(local_date) from new_rows
	union
	select survey_id, unit_code, month_of(local_date) from old_rows;
	return null;
end $$;

create trigger responses_rollup_insert after insert on responses
	referencing new table as new_rows for each statement execute function rollup_mark_new();
create trigger responses_rollup_update after update on responses
	referencing old table as old_rows new table as new_rows
	for each statement execute function rollup_mark_both();
create trigger responses_rollup_delete after delete on responses
	referencing old table as old_rows for each statement execute function rollup_mark_old();

-- Everything stored so far waits for its first roll-up.
insert into rollup_pending (survey_id, unit_code, month)
select distinct survey_id, unit_code, month_of(local_date) from responses;
