-- Khmer (and later other) texts of a survey version imported from a translator's file, and the
-- administrator's mark that a native speaker reviewed them. Citizens are offered the language
-- only with the mark; a new import removes it.
create table survey_translations (
	survey_id text not null references surveys (id),
	version integer not null,
	locale text not null check (locale in ('km')),
	texts jsonb not null,
	imported_by text references users (id),
	imported_at timestamptz not null default now(),
	primary key (survey_id, version, locale),
	foreign key (survey_id, version) references survey_versions (survey_id, version)
);

create table survey_translation_reviews (
	survey_id text not null references surveys (id),
	version integer not null,
	locale text not null check (locale in ('km')),
	reviewed_by text references users (id),
	reviewed_at timestamptz not null default now(),
	primary key (survey_id, version, locale),
	foreign key (survey_id, version) references survey_versions (survey_id, version)
);
