-- The province's quarter sums tens of thousands of rollup_answers rows. Read through the primary
-- key alone they were scattered over thousands of heap pages (150-190 ms at 100,000 responses,
-- npm run bench); with the count in the index the same read is an index-only scan (about 20 ms).
alter table rollup_answers drop constraint rollup_answers_pkey;
alter table rollup_answers
	add primary key (survey_id, unit_code, month, channel, survey_version_id, pos, value) include (n);
