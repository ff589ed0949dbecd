import { wilson, Z95 } from './stats';

/** The standard normal distribution function (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(x: number): number {
	const t = 1 / (1 + 0.2316419 * Math.abs(x));
	const poly =
		t *
		(0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
	const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
	return x >= 0 ? 1 - tail : tail;
}

export interface Change {
	/** Rate now minus rate before, as a proportion (0.032 = 3.2 percentage points). */
	diff: number;
	z: number;
	/** Two-sided p-value of the pooled two-proportion z-test. */
	p: number;
	/** p < 0.05: the change is unlikely to be sampling noise alone. */
	significant: boolean;
}

/**
 * Whether a rate moved between two periods beyond what sampling noise explains: the pooled
 * two-proportion z-test. Null when either period has no valid answer, or both sit at 0% or 100%
 * (no variance to test against).
 */
export function compareRates(
	now: { satisfied: number; n: number },
	before: { satisfied: number; n: number }
): Change | null {
	if (now.n === 0 || before.n === 0) return null;
	const p1 = now.satisfied / now.n;
	const p0 = before.satisfied / before.n;
	const pooled = (now.satisfied + before.satisfied) / (now.n + before.n);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / now.n + 1 / before.n));
	if (se === 0) return null;
	const z = (p1 - p0) / se;
	const p = 2 * (1 - normalCdf(Math.abs(z)));
	return { diff: p1 - p0, z, p, significant: p < 0.05 };
}

const MAX_RESPONSES = 10_000_000;

/**
 * About how many more valid answers an inconclusive result needs before its 95% interval clears
 * the target one way or the other, if the rate stays where it is. Null when the rate equals the
 * target (no sample decides it) or when it would take more than ten million.
 */
export function moreToConclude(satisfied: number, n: number, target: number): number | null {
	if (n === 0) return null;
	const rate = satisfied / n;
	if (rate === target) return null;
	const decides = (total: number) => {
		const interval = wilson(rate * total, total, Z95)!;
		return interval.low >= target || interval.high < target;
	};
	if (decides(n)) return 0;
	let high = n * 2;
	while (!decides(high)) {
		if (high > MAX_RESPONSES) return null;
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
