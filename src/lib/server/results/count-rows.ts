import { monthEnd, shiftDay } from '$lib/survey/periods';
import { type Queryable, empty, json, sql, type Statement } from '../db';
import type { SurveyRegistry } from '../surveys';
import type { Scope } from '../units';
import * as rollups from './rollups';
import { addPattern, emptyPairs, type PooledPlan } from './sums';
import type { GroupBy, ResultsQuery } from './types';

// The SQL behind readCounts: raw responses, monthly roll-ups, and which months may be read
// from the roll-ups.

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

export interface CountRows {
	distribution: { v: number; g: string; c: string; pos: number; value: number; n: number }[];
	/** Per group and channel: responses, flagged, and x0, x1… the plan's sums over respondents. */
	responses: Record<string, number | string>[];
	pairs: PairRow[];
}

/**
 * Answers (t = 'a': version x, position y, value z, count n1) and the pairs of items of mean
 * indicator x (t = 'p' from the roll-ups: one cell's sums as the array text `p`; t = 'q' from
 * the responses: n1 respondents answered with pattern `p`) come back from one statement, in
 * rows of one shape. A cell's pair sums are added here, not in SQL: unnesting hundreds of
 * pairs for every cell of a province's quarter made it five times slower (npm run bench).
 */
interface LongRow {
	t: 'a' | 'p' | 'q';
	p: string | null;
	g: string;
	c: string;
	x: number;
	y: number;
	z: number;
	n1: number;
	n2: number;
	n3: number;
	n4: number;
}

/**
 * Adds the array text "{1,2,…}" of a roll-up cell into `into`, element by element. Read digit by
 * digit: splitting the text made a string per number, and a province's quarter has hundreds of
 * thousands of them (the garbage collector's time doubled the read, npm run bench).
 */
export function addSums(into: number[], text: string) {
	let at = 0;
	let value = 0;
	let sign = 1;
	let digits = false;
	for (let i = 1; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			value = value * 10 + (c - 48);
			digits = true;
		} else if (c === 45) sign = -1;
		else if (digits) {
			into[at] = (into[at] ?? 0) + sign * value;
			at++;
			value = 0;
			sign = 1;
			digits = false;
		}
	}
}

function split(rows: LongRow[], plan: PooledPlan): Pick<CountRows, 'distribution' | 'pairs'> {
	const distribution: CountRows['distribution'] = [];
	const pairs = new Map<string, PairRow>();
	const pairsOf = (g: string, c: string, ind: number) => {
		const key = `${g}\u0000${c}\u0000${ind}`;
		let row = pairs.get(key);
		if (!row) {
			row = { g, c, ind, sums: emptyPairs(plan.indicators[ind]!.questions.length) };
			pairs.set(key, row);
		}
		return row.sums;
	};
	for (const { t, p, g, c, x, y, z, n1 } of rows) {
		if (t === 'a') distribution.push({ v: x, g, c, pos: y, value: z, n: n1 });
		else if (t === 'p') addSums(pairsOf(g, c, x), p!);
		else addPattern(pairsOf(g, c, x), p!, n1);
	}
	return { distribution, pairs: [...pairs.values()] };
}

/** The pair sums of one mean indicator (its position in the plan) in one group and channel. */
export interface PairRow {
	g: string;
	c: string;
	ind: number;
	sums: number[];
}

export interface Read {
	query: ResultsQuery;
	scope: Scope;
	plan: PooledPlan;
	/** The channel column as `c`, or '' when the read is not by channel. */
	byChannel: boolean;
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
export async function rawRows(
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
	const sums = read.plan.aggregates(counted).map((a, j) => `, (${a})::float8 as x${j}`);
	const patterns = read.plan.means.map(
		(i) => sql`union all
		select 'q', ${i}::int, ${key}, ${channel}, 0, 0, count(*)::float8, 0, 0, 0,
			${{ text: `x.p${i}`, values: [] }}
		from ${source} cross join lateral (select ${{ text: read.plan.patterns, values: [] }}) x
		where ${inPeriod} and ${{ text: counted, values: [] }}
		group by 2, 3, 4, 11`
	);
	const answers = await db.query<LongRow>(sql`
		${head}
		select 'a' as t, r.survey_version_id as x, ${key} as g, ${channel} as c, s.ord::int as y,
			s.value::int as z, count(*)::float8 as n1, 0::float8 as n2, 0::float8 as n3, 0::float8 as n4,
			null::text as p
		from ${source}
			cross join lateral unnest(r.scores) with ordinality as s(value, ord)
		where ${inPeriod} and ${{ text: counted, values: [] }} and s.value is not null
		group by 2, 3, 4, 5, 6
		${joinStatements(patterns)}`);
	const perRespondent = read.plan.perRespondent
		? `cross join lateral (select ${read.plan.perRespondent}) x`
		: '';
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, ${channel} as c,
			count(*) filter (where ${{ text: counted, values: [] }})::int as responses,
			${{ text: query.includeFlagged ? '0' : 'count(*) filter (where r.flag is not null)::int', values: [] }} as flagged
			${{ text: sums.join(''), values: [] }}
		from ${source} ${{ text: perRespondent, values: [] }}
		where ${inPeriod}
		group by 1, 2`);
	return { ...split(answers, read.plan), responses };
}

interface Pending {
	unit_code: string;
	month: string;
}

/**
 * Whether the survey's roll-ups were computed for its current definition, and the (unit, month)
 * pairs of the subtree and range with changes not yet rolled up: one statement.
 */
export async function rollupState(
	db: Queryable,
	surveys: SurveyRegistry,
	{ query, scope }: Read
): Promise<{ usable: boolean; pending: Pending[] }> {
	const [row] = await db.query<{ signature: string | null; pending: Pending[] }>(sql`
		select (select signature from rollup_signatures where survey_id = ${query.surveyId}) as signature,
			coalesce((select json_agg(p) from (
				select distinct p.unit_code, to_char(p.month, 'YYYY-MM-DD') as month
				from rollup_pending p
				where p.survey_id = ${query.surveyId} and ${within(scope, 'p.unit_code')}
					and p.month between month_of(${query.range.from}::date) and ${query.range.to}::date) p),
				'[]'::json) as pending`);
	return {
		usable: row?.signature === rollups.signature(surveys, query.surveyId),
		pending: row?.pending ?? []
	};
}

/**
 * Roll-ups for the whole months with nothing pending, raw responses for the rest: the partial
 * months at the edges of a custom range, and the (unit, month) pairs with pending changes. The
 * pending pairs are read once and both parts use that very list, so a month is read raw or
 * rolled up, never both, even if a refresh commits in between; and each raw read is an index
 * range, never a scan of the whole period.
 */
export async function mixedRows(
	db: Queryable,
	read: Read,
	months: { first: string; last: string },
	pending: Pending[]
): Promise<CountRows> {
	const { query, scope } = read;
	const pendingPairs = sql`jsonb_to_recordset(${json(pending)}) as pend(unit_code text, month date)`;
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
				sql`${pendingPairs} join responses r on r.survey_id = ${query.surveyId}
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
	const answers = await db.query<LongRow>(sql`
		${head}
		select 'a' as t, a.survey_version_id as x, ${key} as g, ${channel} as c, a.pos::int as y,
			a.value::int as z, sum(a.n)::float8 as n1, 0::float8 as n2, 0::float8 as n3, 0::float8 as n4,
			null::text as p
		from rollup_answers a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 2, 3, 4, 5, 6
		${
			read.plan.means.length
				? sql`union all
		select 'p', a.ind::int, ${key}, ${channel}, 0, 0, 0, 0, 0, 0, a.sums::text
		from rollup_pairs a join sub on sub.code = a.unit_code
		where ${rolled}`
				: empty
		}`);
	const { distribution, pairs } = split(answers, read.plan);
	const sums = {
		text: read.plan.slots.map((_, j) => `, sum(a.sums[${j + 1}])::float8 as x${j}`).join(''),
		values: []
	};
	const responses = await db.query<Record<string, number | string>>(sql`
		${head}
		select ${key} as g, ${channel} as c, sum(a.responses)::int as responses,
			sum(a.flagged)::int as flagged ${sums}
		from rollup_months a join sub on sub.code = a.unit_code
		where ${rolled}
		group by 1, 2`);

	return {
		distribution: [...parts.flatMap((p) => p.distribution), ...distribution],
		responses: [...parts.flatMap((p) => p.responses), ...responses],
		pairs: [...parts.flatMap((p) => p.pairs), ...pairs]
	};
}

/** Statements one after the other, as one. */
function joinStatements(parts: Statement[]): Statement {
	return parts.reduce((all, part) => sql`${all} ${part}`, empty);
}
