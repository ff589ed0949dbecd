-- Figures about people (ARCHITECTURE §5): the monthly roll-ups carry, per pooled indicator, the
-- sums over respondents that a respondent-level interval needs, and for each mean_of_item_rates
-- indicator the sums over pairs of its items. The layout of `sums` follows the survey's current
-- definition (see src/lib/server/results/sums.ts); a changed signature makes the app rebuild
-- a survey's roll-ups at start-up, as it did for mean_counts.
alter table rollup_months rename column mean_counts to sums;

-- Per survey, unit, month, channel and mean indicator (its index among the definition's pooled
-- indicators): for each pair of its items k < l (in the order k = 0, l = 1, 2…; then k = 1…),
-- how many respondents were satisfied on both, satisfied on k and answered l, answered k and
-- were satisfied on l, and answered both: four integers per pair, one array per row.
create table rollup_pairs (
	survey_id text not null,
	unit_code text not null,
	month date not null,
	channel text not null,
	ind smallint not null,
	sums integer[] not null,
	primary key (survey_id, unit_code, month, channel, ind)
);

-- Every survey's roll-ups were computed for the old layout: drop the signatures so that the
-- next start-up rebuilds them all.
delete from rollup_signatures;
