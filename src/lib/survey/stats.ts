/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
	low: number;
	high: number;
}

/**
 * Wilson score interval for a proportion: unlike the normal approximation it stays inside [0, 1]
 * and behaves at small n and at rates near 0 or 1, which is where unit-level results live.
 */
export function wilson(satisfied: number, n: number, z = Z95): Interval | null {
	if (n <= 0) return null;
	const p = satisfied / n;
	const z2 = z * z;
	const denominator = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denominator;
	const margin = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
	return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

export type TargetStatus = 'met' | 'not_met' | 'inconclusive' | 'no_data' | 'suppressed';

/** Met only when the whole interval clears the target; not met only when it lies wholly below. */
export function intervalStatus(n: number, interval: Interval | null, target: number): TargetStatus {
	if (n === 0 || !interval) return 'no_data';
	if (interval.low >= target) return 'met';
	if (interval.high < target) return 'not_met';
	return 'inconclusive';
}

/** An index without an interval is judged on its point value. */
export function pointStatus(n: number, rate: number | null, target: number): TargetStatus {
	if (n === 0 || rate === null) return 'no_data';
	return rate >= target ? 'met' : 'not_met';
}
