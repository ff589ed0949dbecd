import { changeOf, respondentsToConclude, type Change } from '$lib/survey/compare';
import type { IndicatorResult } from '$lib/survey/scoring';
import type { Results } from './types';

/** Fewer respondents than this and a unit's rate swings widely: "ít phiếu" in the league table. */
export const SMALL_N = 30;

export const sorts = ['rate', 'n', 'status', 'name'] as const;
export type Sort = (typeof sorts)[number];

export interface LeagueRow {
	unit: string;
	name: string;
	responses: number;
	indicator: IndicatorResult;
	small: boolean;
}

const statusOrder: Record<string, number> = {
	not_met: 0,
	inconclusive: 1,
	met: 2,
	suppressed: 3,
	no_data: 4
};

/**
 * The direct children of the unit on one indicator, worst first by default, so the units below
 * target come to the top; ties keep the unit code order.
 */
export function league(
	found: Results,
	indicatorId: string,
	sort: Sort,
	names: Map<string, string>
): LeagueRow[] {
	const rows = (found.groups ?? []).flatMap((g) => {
		const indicator = g.indicators.find((i) => i.id === indicatorId);
		return indicator
			? [
					{
						unit: g.key,
						name: names.get(g.key) ?? g.key,
						responses: g.responses,
						indicator,
						small: indicator.n > 0 && indicator.n < SMALL_N
					}
				]
			: [];
	});
	const byCode = (a: LeagueRow, b: LeagueRow) => a.unit.localeCompare(b.unit);
	const compare: Record<Sort, (a: LeagueRow, b: LeagueRow) => number> = {
		// Units with no rate go last whichever way.
		rate: (a, b) => (a.indicator.rate ?? 2) - (b.indicator.rate ?? 2),
		n: (a, b) => b.indicator.n - a.indicator.n,
		status: (a, b) =>
			(statusOrder[a.indicator.status ?? 'no_data'] ?? 5) -
			(statusOrder[b.indicator.status ?? 'no_data'] ?? 5),
		name: (a, b) => a.name.localeCompare(b.name, 'vi')
	};
	return rows.sort((a, b) => compare[sort](a, b) || byCode(a, b));
}

export interface Reading {
	/** Against the period before, for indicators with a rate in both. */
	change: Change | null;
	/** For an inconclusive indicator: about how many more respondents would decide it. */
	more: number | null;
}

/** What to say under each indicator: how it moved, and what would settle an open verdict. */
export function readings(found: Results, previous: Results): Record<string, Reading> {
	const out: Record<string, Reading> = {};
	for (const now of found.indicators) {
		const before = previous.indicators.find((i) => i.id === now.id);
		out[now.id] = {
			change: before ? changeOf(now, before) : null,
			more:
				now.status === 'inconclusive' &&
				now.rate !== null &&
				now.effectiveN !== null &&
				now.target !== null
					? respondentsToConclude(now.rate, now.n, now.effectiveN, now.target)
					: null
		};
	}
	return out;
}
