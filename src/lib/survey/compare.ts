import { changeBetween, wilsonAt, type Change } from './stats';
import type { IndicatorResult } from './scoring';

export type { Change } from './stats';

/**
 * How a figure moved between two periods (or two units), or null when either side has no rate.
 * Works for every kind, since each side carries the interval its own clustering allows.
 */
export function changeOf(now: IndicatorResult, before: IndicatorResult): Change | null {
	if (now.rate === null || now.ciLow === null || now.ciHigh === null) return null;
	if (before.rate === null || before.ciLow === null || before.ciHigh === null) return null;
	return changeBetween(
		{ rate: now.rate, low: now.ciLow, high: now.ciHigh },
		{ rate: before.rate, low: before.ciLow, high: before.ciHigh }
	);
}

const MAX_RESPONDENTS = 10_000_000;

/**
 * About how many more respondents an inconclusive result needs before its 95% interval clears
 * the target one way or the other, if the rate and the design effect (answers per effective
 * respondent) stay where they are (ARCHITECTURE §5). Null when the rate equals the target (no
 * sample decides it) or when it would take more than ten million.
 */
export function respondentsToConclude(
	rate: number,
	n: number,
	effectiveN: number,
	target: number
): number | null {
	if (n === 0 || !(effectiveN > 0) || rate === target) return null;
	const perRespondent = effectiveN / n;
	const decides = (people: number) => {
		const interval = wilsonAt(rate, people * perRespondent)!;
		return interval.low >= target || interval.high < target;
	};
	if (decides(n)) return 0;
	let high = n * 2;
	while (!decides(high)) {
		if (high > MAX_RESPONDENTS) return null;
		high *= 2;
	}
	let low = n;
	while (high - low > 1) {
		const mid = Math.floor((low + high) / 2);
		if (decides(mid)) high = mid;
		else low = mid;
	}
	return high - n;
}
