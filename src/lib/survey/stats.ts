/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
	low: number;
	high: number;
}

/**
 * Wilson score interval for a rate p observed on an (effective) size `size`, which may be
 * fractional (ARCHITECTURE §5): unlike the normal approximation it stays inside [0, 1] and
 * behaves at small sizes and at rates near 0 or 1, which is where unit-level results live.
 */
export function wilsonAt(p: number, size: number, z = Z95): Interval | null {
	if (!(size > 0)) return null;
	const z2 = z * z;
	const denominator = 1 + z2 / size;
	const centre = (p + z2 / (2 * size)) / denominator;
	const margin = (z * Math.sqrt((p * (1 - p)) / size + z2 / (4 * size * size))) / denominator;
	return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

/** The Wilson interval of `satisfied` out of `n` independent people. */
export function wilson(satisfied: number, n: number, z = Z95): Interval | null {
	return n > 0 ? wilsonAt(satisfied / n, n, z) : null;
}

export type TargetStatus = 'met' | 'not_met' | 'inconclusive' | 'no_data' | 'suppressed';

/** Met only when the whole interval clears the target; not met only when it lies wholly below. */
export function intervalStatus(n: number, interval: Interval | null, target: number): TargetStatus {
	if (n === 0 || !interval) return 'no_data';
	if (interval.low >= target) return 'met';
	if (interval.high < target) return 'not_met';
	return 'inconclusive';
}

/** A rate with its interval: what a change between two of them is built from. */
export interface RateWithInterval {
	rate: number;
	low: number;
	high: number;
}

export interface Change {
	/** Rate now minus rate before, as a proportion (0.032 = 3.2 percentage points). */
	diff: number;
	/** Newcombe's hybrid score interval for the difference. */
	low: number;
	high: number;
	/** The interval excludes 0: the change is more than sampling noise. */
	real: boolean;
}

/**
 * Newcombe's hybrid score interval (method 10, 1998) for the difference of two rates, built from
 * each side's own interval, so that it inherits their respondent-level sizes and behaves at
 * rates of 0 or 100%, where a z-test has no variance to test against.
 */
export function changeBetween(now: RateWithInterval, before: RateWithInterval): Change {
	const diff = now.rate - before.rate;
	const low = diff - Math.hypot(now.rate - now.low, before.high - before.rate);
	const high = diff + Math.hypot(now.high - now.rate, before.rate - before.low);
	return { diff, low, high, real: low > 0 || high < 0 };
}
