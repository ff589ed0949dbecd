import type { Channel } from '$lib/survey/definition';
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
	type QuestionResult
} from '$lib/survey/scoring';
import type { Queryable } from '../db';
import { readCounts } from './counts';
import type { SurveyRegistry } from '../surveys';
import * as targets from './targets';
import * as units from '../units';

export type GroupBy = 'unit' | 'month' | 'quarter';

export interface ResultsQuery {
	surveyId: string;
	unitCode: string;
	range: DateRange;
	groupBy?: GroupBy;
	/** Count responses flagged as suspected duplicates too (left out by default). */
	includeFlagged?: boolean;
	/** Only the responses that came through one channel. */
	channel?: Channel;
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

/**
 * Satisfaction results for a unit and its whole subtree in a period: counts are summed over every
 * response below the unit, then rates, Wilson intervals and target status are computed from the
 * pooled counts, never averaged from unit rates. `direct` reads the raw responses only, skipping
 * the monthly roll-ups (the tests compare the two).
 */
export async function forUnit(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	{ full, direct = false }: { full: boolean; direct?: boolean }
): Promise<Results> {
	const current = surveys.current(query.surveyId);
	if (!current) throw new Error(`unknown survey ${query.surveyId}`);
	const def = current.definition;
	const { byGroup, flagged } = await readCounts(db, surveys, query, { direct });

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
		excluded: flagged,
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
