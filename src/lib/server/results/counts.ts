import { monthEnd, shiftDay, wholeMonths } from '$lib/survey/periods';
import type { ScopeCounts } from '$lib/survey/scoring';
import { type Queryable, empty, json, sql, type Statement } from '../db';
import type { SurveyRegistry } from '../surveys';
import type { Scope } from '../units';
import { meanConditions, type MeanIndicator } from './mean-counts';
import * as rollups from './rollups';
import type { GroupBy, ResultsQuery } from './types';

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

interface CountRows {
	distribution: { v: number; g: string; c: string; pos: number; value: number; n: number }[];
	responses: Record<string, number | string>[];
}

/** The counts of one group (a branch of the subtree, or a month) and, if asked, one channel. */
export interface CountCell {
	group: string;
	/** '' unless the read was by channel. */
	channel: string;
	counts: ScopeCounts;
}

interface Read {
	query: ResultsQuery;
	scope: Scope;
	conditions: string[];
	/** The channel column as `c`, or '' when the read is not by channel. */
	byChannel: boolean;
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
	scope: Scope,
	{ direct = false, byChannel = false }: { direct?: boolean; byChannel?: boolean } = {}
): Promise<{ cells: CountCell[]; flagged: number }> {
	const def = surveys.current(query.surveyId)!.definition;
	const means = def.indicators.filter((i): i is MeanIndicator => i.kind === 'mean_of_item_rates');
	const read: Read = {
		query,
		scope,
		conditions: meanConditions(means, surveys.versions(query.surveyId)),
		byChannel
	};
	const months =
		!direct && !query.includeFlagged && (await rollups.usable(db, surveys, query.surveyId))
			? wholeMonths(query.range)
			: null;
	const rows = months ? await mixedRows(db, read, months) : await rawRows(db, read);

	const cells = new Map<string, CountCell>();
	const countsFor = (group: string, channel: string) => {
		const key = `${group}\u0000${channel}`;
		let cell = cells.get(key);
		if (!cell) {
			cell = {
				group,
				channel,
				counts: { responses: 0, distributions: new Map(), respondentsWithAnswer: new Map() }
			};
			cells.set(key, cell);
		}
		return cell.counts;
	};
	for (const row of rows.distribution) {
		const questionId = surveys.byVersionId(row.v)?.scaleQuestions[row.pos - 1];
		if (!questionId) continue;
		const counts = countsFor(row.g, row.c);
		const d = counts.distributions.get(questionId) ?? {};
		const value = row.value === 0 ? 'NA' : String(row.value);
		d[value] = (d[value] ?? 0) + row.n;
		counts.distributions.set(questionId, d);
	}
	let flagged = 0;
	for (const row of rows.responses) {
		const c = countsFor(String(row.g), String(row.c));
		c.responses += Number(row.responses);
		flagged += Number(row.flagged);
		means.forEach((ind, i) =>
			c.respondentsWithAnswer.set(
				ind.id,
				(c.respondentsWithAnswer.get(ind.id) ?? 0) + Number(row[`m${i}`] ?? 0)
			)
		);
	}
	return { cells: [...cells.values()], flagged };
}

/**
 * `sub(code, branch)` from the resolved list, and the list itself to filter on: the planner
 * then sees how many units there are and reads each one's index range, where a recursive CTE it
 * guessed at 200 rows made it scan a whole quarter for one counter (npm run bench).
 */
const subOf = (scope: Scope) =>
	sql`with sub(code, branch) as (
		select * from unnest(${scope.codes}::text[], ${scope.branches}::text[]))`;
const within = (scope: Scope, column: 'r.unit_code' | 'a.unit_code' | 'p.unit_code') =>
	sql`${{ text: column, values: [] }} = any(${scope.codes}::text[])`;
const channelOf = (read: Read, alias: 'r' | 'a') =>
	({ text: read.byChannel ? `${alias}.channel` : `''`, values: [] }) as Statement;

const everyUnit = sql`responses r join sub on sub.code = r.unit_code`;

/**
 * Counts straight from the responses in the range. `source` names the rows (alias r, joined to
 * sub): by default every response of the subtree, or only those of some (unit, month) pairs.
 * Flagged responses are counted apart, in the same pass.
 */
async function rawRows(
	db: Queryable,
	read: Read,
	source: Statement = everyUnit
): Promise<CountRows> {
	const { query, scope } = read;
	const key = groupKey(query.groupBy, 'r.local_date');
	const channel = channelOf(read, 'r');
	const inPeriod = sql`r.survey_id = ${query.surveyId} and ${within(scope, 'r.unit_code')}
		and r.local_date between ${query.range.from}::date and ${query.range.to}::date
		${query.channel ? sql`and r.channel = ${query.channel}` : empty}`;
	const counted = query.includeFlagged ? 'true' : 'r.flag is null';
	const head = subOf(scope);
	const meanColumns = {
		text: read.conditions
			.map((c, i) => `, count(*) filter (where ${counted} and (${c}))::int as m${i}`)
			.join(''),
		values: []
	};
	const distribution = await db.query<CountRows['distribution'][number]>(sql`
		${head}
		select r.survey_version_id as v, ${key} as g, ${channel} as c, s.ord::int as pos,
			s.value::int as value, count(*)::int as n
		from ${source}
			cross join lateral unnest(r.scores) with ordinality as s(value, ord)
		where ${inPeriod} and ${{ text: counted, values: [] }} and s.value is not null
		group by 1, 2, 3, 4, 5`);
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, ${channel} as c,
			count(*) filter (where ${{ text: counted, values: [] }})::int as responses,
			${{ text: query.includeFlagged ? '0' : 'count(*) filter (where r.flag is not null)::int', values: [] }} as flagged
			${meanColumns}
		from ${source}
		where ${inPeriod}
		group by 1, 2`);
	return { distribution, responses };
}

/**
 * Roll-ups for the whole months with nothing pending, raw responses for the rest: the partial
 * months at the edges of a custom range, and the (unit, month) pairs with pending changes. The
 * pending pairs are read once and both parts use that very list, so a month is read raw or
 * rolled up, never both, even if a refresh commits in between; and each raw read is an index
 * range, never a scan of the whole period.
 */
async function mixedRows(
	db: Queryable,
	read: Read,
	months: { first: string; last: string }
): Promise<CountRows> {
	const { query, scope } = read;
	const pending = await db.query<{ unit_code: string; month: string }>(sql`
		select distinct p.unit_code, to_char(p.month, 'YYYY-MM-DD') as month
		from rollup_pending p
		where p.survey_id = ${query.surveyId} and ${within(scope, 'p.unit_code')}
			and p.month between month_of(${query.range.from}::date) and ${query.range.to}::date`);
	const pairs = sql`jsonb_to_recordset(${json(pending)}) as pend(unit_code text, month date)`;
	// The roll-ups skip the pending pairs by a filter on each row, not a join: an anti-join with a
	// function's rows made the planner loop the subtree over every roll-up row (bench: 0.6 s).
	const pendingKeys = pending.map((p) => `${p.unit_code} ${p.month}`);
	const last = monthEnd(months.last);
	const rawOver = (from: string, to: string, source?: Statement) =>
		rawRows(db, { ...read, query: { ...query, range: { from, to } } }, source);
	const parts: CountRows[] = [];
	if (query.range.from < months.first)
		parts.push(await rawOver(query.range.from, shiftDay(months.first, -1)));
	if (query.range.to > last) parts.push(await rawOver(shiftDay(last, 1), query.range.to));
	if (pending.length)
		parts.push(
			await rawOver(
				months.first,
				last,
				sql`${pairs} join responses r on r.survey_id = ${query.surveyId}
					and r.unit_code = pend.unit_code and r.local_date >= pend.month
					and r.local_date < (pend.month + interval '1 month')::date
					join sub on sub.code = r.unit_code`
			)
		);
	const head = subOf(scope);
	const rolled = sql`a.survey_id = ${query.surveyId} and ${within(scope, 'a.unit_code')}
		and a.month between ${months.first}::date and ${months.last}::date
		${query.channel ? sql`and a.channel = ${query.channel}` : empty}
		${
			pendingKeys.length
				? sql`and (a.unit_code || ' ' || to_char(a.month, 'YYYY-MM-DD')) <> all(${pendingKeys}::text[])`
				: empty
		}`;
	const key = groupKey(query.groupBy, 'a.month');
	const channel = channelOf(read, 'a');
	const distribution = await db.query<CountRows['distribution'][number]>(sql`
		${head}
		select a.survey_version_id as v, ${key} as g, ${channel} as c, a.pos::int as pos,
			a.value::int as value, sum(a.n)::int as n
		from rollup_answers a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 1, 2, 3, 4, 5`);
	const meanColumns = {
		text: read.conditions.map((_, i) => `, sum(a.mean_counts[${i + 1}])::int as m${i}`).join(''),
		values: []
	};
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, ${channel} as c, sum(a.responses)::int as responses,
			sum(a.flagged)::int as flagged ${meanColumns}
		from rollup_months a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 1, 2`);
	return {
		distribution: [...parts.flatMap((p) => p.distribution), ...distribution],
		responses: [...parts.flatMap((p) => p.responses), ...responses]
	};
}
