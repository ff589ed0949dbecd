import type { SurveyDefinition } from '$lib/survey/definition';
import {
	monthsBetween,
	parsePeriod,
	quarterOfMonth,
	TIMEZONE,
	type DateRange
} from '$lib/survey/periods';
import {
	indicatorResults,
	poolCounts,
	questionResults,
	type IndicatorResult,
	type QuestionResult,
	type ScopeCounts
} from '$lib/survey/scoring';
import type { Queryable } from './db';
import { sql, type Statement } from './db';
import type { SurveyRegistry, SurveyVersion } from './surveys';
import * as targets from './targets';
import * as units from './units';

export type GroupBy = 'unit' | 'month' | 'quarter';

export interface ResultsQuery {
	surveyId: string;
	unitCode: string;
	range: DateRange;
	groupBy?: GroupBy;
	/** Count responses flagged as suspected duplicates too (left out by default). */
	includeFlagged?: boolean;
}

export interface ResultGroup {
	key: string;
	responses: number;
	indicators: IndicatorResult[];
}

export interface Results {
	survey: string;
	unit: string;
	from: string;
	to: string;
	timezone: string;
	responses: number;
	/** Responses in scope left out of every figure because they are flagged (e.g. duplicates). */
	excluded: number;
	indicators: IndicatorResult[];
	questions: QuestionResult[];
	groups?: ResultGroup[];
}

/** Cells under this many answers are hidden from the public (ARCHITECTURE §6). */
export const PUBLIC_MIN_N = 10;

/** What a group key is made of, in SQL; fixed fragments, never user text. */
const groupKey: Record<GroupBy | 'none', Statement> = {
	none: sql`''`,
	unit: sql`coalesce(sub.branch, '')`,
	month: sql`to_char(r.local_date, 'YYYY-MM')`,
	quarter: sql`to_char(r.local_date, 'YYYY-MM')`
};

/**
 * Satisfaction results for a unit and its whole subtree in a period: counts are summed over every
 * response below the unit, then rates, Wilson intervals and target status are computed from the
 * pooled counts, never averaged from unit rates.
 */
export async function forUnit(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	{ full }: { full: boolean }
): Promise<Results> {
	const current = surveys.current(query.surveyId);
	if (!current) throw new Error(`unknown survey ${query.surveyId}`);
	const def = current.definition;
	const key = groupKey[query.groupBy ?? 'none'];
	const subtree = sql`with recursive sub as (
		select code, null::text as branch from units where code = ${query.unitCode}
		union all
		select u.code, coalesce(sub.branch, u.code) from units u join sub on u.parent_code = sub.code)`;
	const inPeriod = sql`r.survey_id = ${query.surveyId}
		and r.local_date between ${query.range.from}::date and ${query.range.to}::date`;
	const inScope = query.includeFlagged ? inPeriod : sql`${inPeriod} and r.flag is null`;

	const distributionRows = await db.query<{
		v: number;
		g: string;
		pos: number;
		value: number;
		n: number;
	}>(sql`
		${subtree}
		select r.survey_version_id as v, ${key} as g, s.ord::int as pos, s.value::int as value,
			count(*)::int as n
		from responses r join sub on sub.code = r.unit_code
			cross join lateral unnest(r.scores) with ordinality as s(value, ord)
		where ${inScope} and s.value is not null
		group by 1, 2, 3, 4`);

	const meanIndicators = def.indicators.filter((i) => i.kind === 'mean_of_item_rates');
	const versions = [...new Set(distributionRows.map((r) => r.v))]
		.map((id) => surveys.byVersionId(id))
		.filter((v) => v !== undefined);
	const responseRows = await db.query<Record<string, number | string>>(sql`
		${subtree}
		select ${key} as g, count(*)::int as responses ${meanAggregates(meanIndicators, versions)}
		from responses r join sub on sub.code = r.unit_code
		where ${inScope}
		group by 1`);

	const byGroup = new Map<string, ScopeCounts>();
	const countsFor = (g: string) => {
		let c = byGroup.get(g);
		if (!c) {
			c = { responses: 0, distributions: new Map(), respondentsWithAnswer: new Map() };
			byGroup.set(g, c);
		}
		return c;
	};
	for (const row of distributionRows) {
		const questionId = surveys.byVersionId(row.v)?.scaleQuestions[row.pos - 1];
		if (!questionId) continue;
		const d = countsFor(row.g).distributions.get(questionId) ?? {};
		const value = row.value === 0 ? 'NA' : String(row.value);
		d[value] = (d[value] ?? 0) + row.n;
		countsFor(row.g).distributions.set(questionId, d);
	}
	for (const row of responseRows) {
		const c = countsFor(String(row.g));
		c.responses += Number(row.responses);
		meanIndicators.forEach((ind, i) =>
			c.respondentsWithAnswer.set(ind.id, Number(row[`m${i}`] ?? 0))
		);
	}

	const [flagged] = query.includeFlagged
		? [{ n: 0 }]
		: await db.query<{ n: number }>(sql`
				${subtree}
				select count(*)::int as n from responses r join sub on sub.code = r.unit_code
				where ${inPeriod} and r.flag is not null`);

	// Targets may be overridden per unit subtree and period (ARCHITECTURE §5).
	const overrides = await targets.list(db, query.surveyId);
	const chain = (await units.ancestry(db, query.unitCode)).map((u) => u.code).reverse();
	const total = poolCounts([...byGroup.values()]);
	const results: Results = {
		survey: query.surveyId,
		unit: query.unitCode,
		from: query.range.from,
		to: query.range.to,
		timezone: TIMEZONE,
		responses: total.responses,
		excluded: flagged?.n ?? 0,
		indicators: indicatorResults(def, total, targets.resolver(overrides, chain, query.range)),
		questions: questionResults(def, total)
	};
	if (query.groupBy) {
		results.groups = (await groupKeys(db, query)).map((keys) => {
			const counts = poolCounts(
				keys.parts.map((k) => byGroup.get(k)).filter((c) => c !== undefined)
			);
			const targetFor =
				query.groupBy === 'unit'
					? targets.resolver(overrides, [keys.key, ...chain], query.range)
					: targets.resolver(overrides, chain, within(query.range, keys.key));
			return {
				key: keys.key,
				responses: counts.responses,
				indicators: indicatorResults(def, counts, targetFor)
			};
		});
	}
	return full ? results : suppressSmallCells(results);
}

type MeanIndicator = Extract<
	SurveyDefinition['indicators'][number],
	{ kind: 'mean_of_item_rates' }
>;

/**
 * One count per mean_of_item_rates indicator: responses with at least one valid answer (> 0; 0 is
 * N/A) among its questions. Positions differ between survey versions, hence the CASE. The SQL
 * holds only integers computed here from the definitions, checked before use.
 */
function meanAggregates(indicators: MeanIndicator[], versions: SurveyVersion[]): Statement {
	const parts = indicators.map((ind, i) => {
		const cases = versions.map((v) => {
			const positions = ind.questions
				.map((id) => v.scaleQuestions.indexOf(id) + 1)
				.filter((p) => p > 0);
			if (!Number.isInteger(v.versionId) || !positions.every(Number.isInteger)) {
				throw new Error('non-integer position');
			}
			const test = positions.length
				? positions.map((p) => `r.scores[${p}] > 0`).join(' or ')
				: 'false';
			return `when ${v.versionId} then (${test})`;
		});
		const condition = cases.length
			? `case r.survey_version_id ${cases.join(' ')} else false end`
			: 'false';
		return `, count(*) filter (where ${condition})::int as m${i}`;
	});
	return { text: parts.join(''), values: [] };
}

/** The groups to report, zero-filled: every direct child unit, or every month or quarter. */
async function groupKeys(
	db: Queryable,
	query: ResultsQuery
): Promise<{ key: string; parts: string[] }[]> {
	if (query.groupBy === 'unit') {
		return (await units.children(db, query.unitCode)).map((u) => ({
			key: u.code,
			parts: [u.code]
		}));
	}
	const months = monthsBetween(query.range);
	if (query.groupBy === 'month') return months.map((m) => ({ key: m, parts: [m] }));
	const quarters = new Map<string, string[]>();
	for (const m of months)
		quarters.set(quarterOfMonth(m), [...(quarters.get(quarterOfMonth(m)) ?? []), m]);
	return [...quarters].map(([key, parts]) => ({ key, parts }));
}

/** The part of a month or quarter group that the queried range covers. */
function within(range: DateRange, period: string): DateRange {
	const p = parsePeriod(period)!;
	return { from: p.from > range.from ? p.from : range.from, to: p.to < range.to ? p.to : range.to };
}

function hide(i: IndicatorResult): IndicatorResult {
	return { ...i, satisfied: null, rate: null, ciLow: null, ciHigh: null, status: 'suppressed' };
}

const suppressIndicator = (i: IndicatorResult) => (i.n < PUBLIC_MIN_N ? hide(i) : i);

/**
 * The public view: any indicator, question or group with n < 10 keeps its counts of responses
 * and n but loses everything that could single out a respondent's answer.
 */
export function suppressSmallCells(results: Results): Results {
	return {
		...results,
		indicators: results.indicators.map(suppressIndicator),
		questions: results.questions.map((q) =>
			q.n < PUBLIC_MIN_N ? { ...q, satisfied: null, rate: null, distribution: null } : q
		),
		groups: results.groups?.map((g) => ({
			...g,
			indicators: g.indicators.map((i) =>
				g.responses < PUBLIC_MIN_N ? hide(i) : suppressIndicator(i)
			)
		}))
	};
}
