import { describe, expect, it } from 'vitest';
import { compareRates, moreToConclude, normalCdf } from './compare';
import { wilson } from './stats';

describe('normalCdf', () => {
	it('matches the tables', () => {
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
		expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
		expect(normalCdf(-1.644853627)).toBeCloseTo(0.05, 6);
		expect(normalCdf(3)).toBeCloseTo(0.9986501, 6);
	});
});

describe('compareRates', () => {
	it('computes the pooled two-proportion z-test by hand', () => {
		// 90/100 now, 80/100 before: pooled 0.85, se = sqrt(0.85·0.15·0.02) = 0.0504975,
		// z = 0.1 / 0.0504975 = 1.98030, two-sided p = 0.04768.
		const change = compareRates({ satisfied: 90, n: 100 }, { satisfied: 80, n: 100 })!;
		expect(change.diff).toBeCloseTo(0.1, 10);
		expect(change.z).toBeCloseTo(1.9803, 4);
		expect(change.p).toBeCloseTo(0.04768, 4);
		expect(change.significant).toBe(true);
	});

	it('calls a small-sample difference not significant', () => {
		// 9/10 against 8/10: the same rates, a tenth of the answers: z = 0.626, p = 0.531.
		const change = compareRates({ satisfied: 9, n: 10 }, { satisfied: 8, n: 10 })!;
		expect(change.p).toBeCloseTo(0.5312, 3);
		expect(change.significant).toBe(false);
	});

	it('has nothing to say about an empty period or no variance', () => {
		expect(compareRates({ satisfied: 5, n: 10 }, { satisfied: 0, n: 0 })).toBeNull();
		expect(compareRates({ satisfied: 0, n: 0 }, { satisfied: 5, n: 10 })).toBeNull();
		expect(compareRates({ satisfied: 10, n: 10 }, { satisfied: 20, n: 20 })).toBeNull();
	});
});

describe('moreToConclude', () => {
	it('finds the smallest sample at the same rate whose interval clears the target', () => {
		// 88/100 against 85%: Wilson [0.8018, 0.9300] is inconclusive.
		const more = moreToConclude(88, 100, 0.85)!;
		const total = 100 + more;
		expect(wilson(0.88 * total, total)!.low).toBeGreaterThanOrEqual(0.85);
		expect(wilson(0.88 * (total - 1), total - 1)!.low).toBeLessThan(0.85);
		// Below the target it is the upper bound that must fall under it.
		const below = moreToConclude(80, 100, 0.85)!;
		expect(wilson(0.8 * (100 + below), 100 + below)!.high).toBeLessThan(0.85);
		expect(wilson(0.8 * (99 + below), 99 + below)!.high).toBeGreaterThanOrEqual(0.85);
	});

	it('is 0 once decided, and null when no sample can decide', () => {
		expect(moreToConclude(990, 1000, 0.85)).toBe(0);
		expect(moreToConclude(85, 100, 0.85)).toBeNull();
		expect(moreToConclude(0, 0, 0.85)).toBeNull();
	});
});
