-- Comments and the follow-up loop ("tiếp nhận, xử lý phản ánh, kiến nghị").

-- Vietnamese folded for accent-insensitive search; must agree with foldVietnamese() in
-- src/lib/survey/comments.ts on NFC text (a test compares the two letter by letter).
create function vn_fold(text) returns text language sql immutable strict parallel safe as $$
	select lower(translate($1,
		'ÀÁÂÃÈÉÊÌÍÎÒÓÔÕÙÚÛÝàáâãèéêìíîòóôõùúûýĂăĔĕĨĩĬĭŎŏŨũŬŭŶŷƠơƯưṌṍṸṹẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹđĐ',
		'aaaaeeeiiioooouuuyaaaaeeeiiioooouuuyaaeeiiiioouuuuyyoouuoouuaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyydd'))
$$;

-- A response's text answers joined (null: none), and whether any scale answer is low
-- (likert5 1–2, rating3 1): written on ingest so the comments list reads two columns.
alter table responses add column comment text;
alter table responses add column low_rating boolean not null default false;

-- Responses stored before this migration get both from their answers and survey version.
update responses r set comment = c.body
from (
	select r2.id, string_agg(r2.answers ->> (q.item ->> 'id'), E'\n\n' order by s.pos, q.pos) as body
	from responses r2
	join survey_versions v on v.id = r2.survey_version_id
	cross join lateral jsonb_array_elements(v.definition -> 'sections') with ordinality as s(item, pos)
	cross join lateral jsonb_array_elements(s.item -> 'questions') with ordinality as q(item, pos)
	where q.item ->> 'type' = 'text'
		and jsonb_typeof(r2.answers -> (q.item ->> 'id')) = 'string'
		and r2.answers ->> (q.item ->> 'id') not in ('', 'NA')
	group by r2.id
) c
where c.id = r.id;

update responses r set low_rating = true
where exists (
	select 1
	from survey_versions v
	cross join lateral jsonb_array_elements(v.definition -> 'sections') as s(item)
	cross join lateral jsonb_array_elements(s.item -> 'questions') as q(item)
	where v.id = r.survey_version_id
		and jsonb_typeof(r.answers -> (q.item ->> 'id')) = 'number'
		and ((q.item ->> 'type' = 'likert5' and (r.answers ->> (q.item ->> 'id'))::int <= 2)
			or (q.item ->> 'type' = 'rating3' and (r.answers ->> (q.item ->> 'id'))::int <= 1))
);

create index responses_comments on responses (local_date, unit_code) where comment is not null;

-- A low-rated response with a comment or consented contact details opens one case in its unit's
-- inbox. No foreign key to responses: the responses table may later be partitioned by month.
create table follow_up_cases (
	id bigserial primary key,
	response_id uuid not null unique,
	survey_id text not null,
	unit_code text not null references units (code),
	opened_at timestamptz not null default now(),
	status text not null default 'new' check (status in ('new', 'in_progress', 'resolved')),
	-- What the unit did about it, and what it answered the citizen.
	action_taken text,
	reply text,
	updated_at timestamptz not null default now(),
	resolved_at timestamptz,
	check ((status = 'resolved') = (resolved_at is not null))
);
create index follow_up_cases_inbox on follow_up_cases (unit_code, status, opened_at);

-- Every step a case takes, with who took it: the case's history.
create table follow_up_events (
	id bigserial primary key,
	case_id bigint not null references follow_up_cases (id),
	at timestamptz not null default now(),
	user_id text references users (id),
	status text not null,
	action_taken text,
	reply text
);
create index follow_up_events_case on follow_up_events (case_id, at);

-- Cases for responses stored before this migration, opened at the time they were received.
insert into follow_up_cases (response_id, survey_id, unit_code, opened_at, updated_at)
select r.id, r.survey_id, r.unit_code, r.received_at, r.received_at
from responses r
where r.low_rating and r.flag is null
	and (r.comment is not null or exists (select 1 from response_contacts c where c.response_id = r.id));
