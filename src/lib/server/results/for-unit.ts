import { channels } from '$lib/survey/definition';
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
	type ScopeCounts
} from '$lib/survey/scoring';
import type { Queryable } from '../db';
import { readCounts, type CountCell } from './counts';
import type { SurveyRegistry } from '../surveys';
import * as targets from './targets';
import * as units from '../units';
import type { ResultGroup, Results, ResultsByChannel, ResultsQuery } from './types';

/** Figures about fewer respondents than this are hidden from the public (ARCHITECTURE §5, §6). */
export const PUBLIC_MIN_N = 10;

/**
 * Satisfaction results for a unit and its whole subtree in a period: counts are summed over every
 * response below the unit, then rates, Wilson intervals and target status are computed from the
 * pooled counts, never averaged from unit rates. `direct` reads the raw responses only, skipping
 * the monthly roll-ups (the tests compare the two); `byChannel` adds each channel's figures from
 * the same read.
 */
export async function forUnit(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	options: { full: boolean; direct?: boolean; byChannel: true }
): Promise<ResultsByChannel>;
export async function forUnit(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	options: { full: boolean; direct?: boolean; byChannel?: false }
): Promise<Results>;
export async function forUnit(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	{
		full,
		direct = false,
		byChannel = false
	}: { full: boolean; direct?: boolean; byChannel?: boolean }
): Promise<Results | ResultsByChannel> {
	const current = surveys.current(query.surveyId);
	if (!current) throw new Error(`unknown survey ${query.surveyId}`);
	const def = current.definition;
	const scope = await units.scopeOf(db, query.unitCode);
	const { cells, flagged } = await readCounts(db, surveys, query, scope, { direct, byChannel });
	const pool = (keep: (cell: CountCell) => boolean): ScopeCounts =>
		poolCounts(cells.filter(keep).map((c) => c.counts));

	// Targets may be overridden per unit subtree and period (ARCHITECTURE §5).
	const overrides = await targets.list(db, query.surveyId);
	const chain = (await units.ancestry(db, query.unitCode)).map((u) => u.code).reverse();
	const targetFor = targets.resolver(overrides, chain, query.range);
	const total = pool(() => true);
	const results: Results = {
		survey: query.surveyId,
		unit: query.unitCode,
		from: query.range.from,
		to: query.range.to,
		timezone: TIMEZONE,
		responses: total.responses,
		excluded: flagged,
		indicators: indicatorResults(def, total, targetFor),
		questions: questionResults(def, total)
	};
	if (query.groupBy) {
		results.groups = groupKeys(query, scope).map((keys) => {
			const counts = pool((c) => keys.parts.includes(c.group));
			const groupTarget =
				query.groupBy === 'unit'
					? targets.resolver(overrides, [keys.key, ...chain], query.range)
					: targets.resolver(overrides, chain, within(query.range, keys.key));
			return {
				key: keys.key,
				responses: counts.responses,
				indicators: indicatorResults(def, counts, groupTarget)
			};
		});
	}
	if (!byChannel) return full ? results : suppressSmallCells(results);
	const perChannel = channels
		.map((channel) => ({ channel, counts: pool((c) => c.channel === channel) }))
		.filter(({ counts }) => counts.responses > 0)
		.map(({ channel, counts }) => ({
			key: channel,
			responses: counts.responses,
			indicators: indicatorResults(def, counts, targetFor)
		}));
	if (full) return { ...results, channels: perChannel };
	return {
		...suppressSmallCells(results),
		channels: perChannel.map((g) => ({ ...g, indicators: g.indicators.map(suppressGroup(g)) }))
	};
}

/** The groups to report, zero-filled: every direct child unit, or every month or quarter. */
function groupKeys(query: ResultsQuery, scope: units.Scope): { key: string; parts: string[] }[] {
	if (query.groupBy === 'unit') return scope.children.map((code) => ({ key: code, parts: [code] }));
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
	return {
		...i,
		satisfied: null,
		rate: null,
		ciLow: null,
		ciHigh: null,
		effectiveN: null,
		status: 'suppressed'
	};
}

const suppressIndicator = (i: IndicatorResult) => (i.n < PUBLIC_MIN_N ? hide(i) : i);
const suppressGroup = (g: ResultGroup) => (i: IndicatorResult) =>
	g.responses < PUBLIC_MIN_N ? hide(i) : suppressIndicator(i);

/**
 * The public view: any indicator, question or group about fewer than 10 respondents keeps its
 * counts of responses, respondents and answers but loses everything that could single out a
 * respondent's answer.
 */
export function suppressSmallCells(results: Results): Results {
	return {
		...results,
		indicators: results.indicators.map(suppressIndicator),
		questions: results.questions.map((q) =>
			q.n < PUBLIC_MIN_N ? { ...q, satisfied: null, rate: null, distribution: null } : q
		),
		groups: results.groups?.map((g) => ({ ...g, indicators: g.indicators.map(suppressGroup(g)) }))
	};
}
