-- Units of the administration form a tree; codes are stable identifiers (e.g. AG.LX.BD).
create table units (
	code text primary key,
	parent_code text references units (code),
	kind text not null,
	name_vi text not null,
	name_en text not null,
	valid_from date,
	valid_to date,
	created_at timestamptz not null default now()
);
create index units_parent on units (parent_code);

create table surveys (
	id text primary key,
	field text not null,
	current_version integer not null
);

-- Every published version is kept: responses point at the version they answered.
create table survey_versions (
	id serial primary key,
	survey_id text not null references surveys (id),
	version integer not null,
	definition jsonb not null,
	-- Question ids of the scale questions, in the order of responses.scores.
	scale_questions text[] not null,
	content_hash text not null,
	created_at timestamptz not null default now(),
	unique (survey_id, version)
);

create table touchpoints (
	id serial primary key,
	code text not null unique,
	survey_id text not null references surveys (id),
	unit_code text not null references units (code),
	channel text not null check (channel in ('qr', 'kiosk', 'paper')),
	active boolean not null default true,
	created_at timestamptz not null default now()
);

create table users (
	id text primary key,
	email text not null unique,
	password_hash text not null,
	role text not null check (role in ('admin', 'analyst', 'manager', 'clerk')),
	unit_code text references units (code),
	must_change_password boolean not null default false,
	disabled_at timestamptz,
	created_at timestamptz not null default now()
);

-- Sessions as in the Lucia guide: the id is the SHA-256 of the secret token held by the browser.
create table sessions (
	id text primary key,
	user_id text not null references users (id) on delete cascade,
	expires_at timestamptz not null,
	created_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

create table responses (
	id uuid primary key,
	survey_id text not null,
	survey_version_id integer not null references survey_versions (id),
	touchpoint_id integer references touchpoints (id),
	unit_code text not null references units (code),
	-- The province (root unit), so responses can later be distributed by province.
	root_unit text not null,
	channel text not null,
	locale text not null,
	reported_at timestamptz,
	received_at timestamptz not null,
	effective_at timestamptz not null,
	-- The calendar date of effective_at in Asia/Ho_Chi_Minh: what periods are made of.
	local_date date not null,
	answers jsonb not null,
	-- Scale answers by position (survey_versions.scale_questions): null = no answer, 0 = N/A.
	scores smallint[] not null,
	content_hash text not null
);
-- The results query filters by survey, date range and unit set and reads only the scores.
create index responses_results on responses (survey_id, local_date, unit_code)
	include (survey_version_id, scores);
