import type { DateRange } from '$lib/survey/periods';
import type { ScopeCounts } from '$lib/survey/scoring';
import type { Queryable } from './db';
import { empty, sql, type Statement } from './db';
import type { GroupBy, ResultsQuery } from './results';
import { meanConditions, type MeanIndicator } from './mean-counts';
import * as rollups from './rollups';
import type { SurveyRegistry } from './surveys';

/** A group key in SQL, from a date column and the subtree's branch; fixed fragments only. */
function groupKey(groupBy: GroupBy | undefined, date: 'r.local_date' | 'a.month'): Statement {
	switch (groupBy) {
		case 'unit':
			return sql`coalesce(sub.branch, '')`;
		case 'month':
		case 'quarter':
			return { text: `to_char(${date}, 'YYYY-MM')`, values: [] };
		default:
			return sql`''`;
	}
}

/** The whole months inside a range, as first days; null when the range holds none. */
export function wholeMonths(range: DateRange): { first: string; last: string } | null {
	const [fy, fm, fd] = range.from.split('-').map(Number) as [number, number, number];
	const start = fd === 1 ? new Date(Date.UTC(fy, fm - 1, 1)) : new Date(Date.UTC(fy, fm, 1));
	const [ty, tm, td] = range.to.split('-').map(Number) as [number, number, number];
	const lastDay = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
	const end =
		td === lastDay ? new Date(Date.UTC(ty, tm - 1, 1)) : new Date(Date.UTC(ty, tm - 2, 1));
	if (start > end) return null;
	return { first: start.toISOString().slice(0, 10), last: end.toISOString().slice(0, 10) };
}

interface CountRows {
	distribution: { v: number; g: string; pos: number; value: number; n: number }[];
	responses: Record<string, number | string>[];
	flagged: number;
}

/**
 * The counts behind a result, per group: from the monthly roll-ups for whole months that are
 * up to date, and from the raw responses for everything else (months with pending changes,
 * the partial months of a custom range, or a survey whose roll-ups are being rebuilt).
 * Flagged responses are left out unless the query asks for them, which always reads raw.
 */
export async function readCounts(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	{ direct = false }: { direct?: boolean } = {}
): Promise<{ byGroup: Map<string, ScopeCounts>; flagged: number }> {
	const def = surveys.current(query.surveyId)!.definition;
	const means = def.indicators.filter((i): i is MeanIndicator => i.kind === 'mean_of_item_rates');
	const conditions = meanConditions(means, surveys.versions(query.surveyId));
	const months =
		!direct && !query.includeFlagged && (await rollups.usable(db, surveys, query.surveyId))
			? wholeMonths(query.range)
			: null;
	const rows = months
		? await mixedRows(db, query, conditions, months)
		: await rawRows(db, query, conditions, empty);

	const byGroup = new Map<string, ScopeCounts>();
	const countsFor = (g: string) => {
		let c = byGroup.get(g);
		if (!c) {
			c = { responses: 0, distributions: new Map(), respondentsWithAnswer: new Map() };
			byGroup.set(g, c);
		}
		return c;
	};
	for (const row of rows.distribution) {
		const questionId = surveys.byVersionId(row.v)?.scaleQuestions[row.pos - 1];
		if (!questionId) continue;
		const d = countsFor(row.g).distributions.get(questionId) ?? {};
		const value = row.value === 0 ? 'NA' : String(row.value);
		d[value] = (d[value] ?? 0) + row.n;
		countsFor(row.g).distributions.set(questionId, d);
	}
	for (const row of rows.responses) {
		const c = countsFor(String(row.g));
		c.responses += Number(row.responses);
		means.forEach((ind, i) =>
			c.respondentsWithAnswer.set(
				ind.id,
				(c.respondentsWithAnswer.get(ind.id) ?? 0) + Number(row[`m${i}`] ?? 0)
			)
		);
	}
	return { byGroup, flagged: rows.flagged };
}

function subtreeWithBranches(unitCode: string): Statement {
	return sql`with recursive sub as (
		select code, null::text as branch from units where code = ${unitCode}
		union all
		select u.code, coalesce(sub.branch, u.code) from units u join sub on u.parent_code = sub.code)`;
}

/** Counts straight from the responses in the range; `only` narrows the rows further. */
async function rawRows(
	db: Queryable,
	query: ResultsQuery,
	conditions: string[],
	only: Statement,
	ctes: Statement = empty
): Promise<CountRows> {
	const key = groupKey(query.groupBy, 'r.local_date');
	const inPeriod = sql`r.survey_id = ${query.surveyId}
		and r.local_date between ${query.range.from}::date and ${query.range.to}::date
		${query.channel ? sql`and r.channel = ${query.channel}` : empty} ${only}`;
	const inScope = query.includeFlagged ? inPeriod : sql`${inPeriod} and r.flag is null`;
	const head = sql`${subtreeWithBranches(query.unitCode)} ${ctes}`;
	const meanColumns = {
		text: conditions.map((c, i) => `, count(*) filter (where ${c})::int as m${i}`).join(''),
		values: []
	};
	const distribution = await db.query<CountRows['distribution'][number]>(sql`
		${head}
		select r.survey_version_id as v, ${key} as g, s.ord::int as pos, s.value::int as value,
			count(*)::int as n
		from responses r join sub on sub.code = r.unit_code
			cross join lateral unnest(r.scores) with ordinality as s(value, ord)
		where ${inScope} and s.value is not null
		group by 1, 2, 3, 4`);
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, count(*)::int as responses ${meanColumns}
		from responses r join sub on sub.code = r.unit_code
		where ${inScope}
		group by 1`);
	const [flagged] = query.includeFlagged
		? [{ n: 0 }]
		: await db.query<{ n: number }>(sql`
				${head}
				select count(*)::int as n from responses r join sub on sub.code = r.unit_code
				where ${inPeriod} and r.flag is not null`);
	return { distribution, responses, flagged: flagged?.n ?? 0 };
}

/**
 * Roll-ups for the whole months with nothing pending, raw responses for the rest. Both parts
 * are read under one snapshot per statement, and a month is pending until the refresh that
 * recomputed it commits, so no response is counted twice or missed.
 */
async function mixedRows(
	db: Queryable,
	query: ResultsQuery,
	conditions: string[],
	months: { first: string; last: string }
): Promise<CountRows> {
	const pending = sql`, pend as (
		select distinct p.unit_code, p.month from rollup_pending p join sub on sub.code = p.unit_code
		where p.survey_id = ${query.surveyId}
			and p.month between month_of(${query.range.from}::date) and ${query.range.to}::date)`;
	const rolled = sql`a.survey_id = ${query.surveyId}
		and a.month between ${months.first}::date and ${months.last}::date
		${query.channel ? sql`and a.channel = ${query.channel}` : empty}
		and not exists (select 1 from pend where pend.unit_code = a.unit_code and pend.month = a.month)`;
	const raw = await rawRows(
		db,
		query,
		conditions,
		sql`and (r.local_date < ${months.first}::date
			or r.local_date >= (${months.last}::date + interval '1 month')::date
			or exists (select 1 from pend where pend.unit_code = r.unit_code
				and pend.month = month_of(r.local_date)))`,
		pending
	);
	const head = sql`${subtreeWithBranches(query.unitCode)} ${pending}`;
	const key = groupKey(query.groupBy, 'a.month');
	const distribution = await db.query<CountRows['distribution'][number]>(sql`
		${head}
		select a.survey_version_id as v, ${key} as g, a.pos::int as pos, a.value::int as value,
			sum(a.n)::int as n
		from rollup_answers a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 1, 2, 3, 4`);
	const meanColumns = {
		text: conditions.map((_, i) => `, sum(a.mean_counts[${i + 1}])::int as m${i}`).join(''),
		values: []
	};
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, sum(a.responses)::int as responses, sum(a.flagged)::int as flagged
			${meanColumns}
		from rollup_months a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 1`);
	return {
		distribution: [...raw.distribution, ...distribution],
		responses: [...raw.responses, ...responses],
		flagged: raw.flagged + responses.reduce((s, r) => s + Number(r.flagged), 0)
	};
}
