import { describe, expect, it } from 'vitest';
import { changeOf, respondentsToConclude } from './compare';
import type { IndicatorResult } from './scoring';
import { wilson, wilsonAt } from './stats';

const result = (satisfied: number, n: number): IndicatorResult => {
	const ci = wilson(satisfied, n);
	return {
		id: 'overall',
		kind: 'share_of_respondents',
		n,
		answers: n,
		satisfied,
		rate: n ? satisfied / n : null,
		ciLow: ci?.low ?? null,
		ciHigh: ci?.high ?? null,
		effectiveN: n || null,
		target: 0.85,
		status: null
	};
};

describe('changeOf', () => {
	it('builds the change from each side’s own interval', () => {
		const change = changeOf(result(56, 70), result(48, 80))!;
		expect(change.low).toBeCloseTo(0.0524, 4);
		expect(change.high).toBeCloseTo(0.3339, 4);
	});

	it('has nothing to say when a side has no rate', () => {
		expect(changeOf(result(5, 10), result(0, 0))).toBeNull();
		expect(changeOf(result(0, 0), result(5, 10))).toBeNull();
	});
});

describe('respondentsToConclude', () => {
	it('finds the fewest more respondents at the same rate whose interval clears the target', () => {
		// 88 of 100 people against 85%: Wilson [0.8019, 0.9300] is inconclusive.
		const more = respondentsToConclude(0.88, 100, 100, 0.85)!;
		const total = 100 + more;
		expect(wilson(0.88 * total, total)!.low).toBeGreaterThanOrEqual(0.85);
		expect(wilson(0.88 * (total - 1), total - 1)!.low).toBeLessThan(0.85);
		const below = respondentsToConclude(0.8, 100, 100, 0.85)!;
		expect(wilson(0.8 * (100 + below), 100 + below)!.high).toBeLessThan(0.85);
		expect(wilson(0.8 * (99 + below), 99 + below)!.high).toBeGreaterThanOrEqual(0.85);
	});

	it('keeps the design effect: people whose answers count for less need more company', () => {
		// 100 people whose 600 answers carry the weight of 50 independent ones.
		const more = respondentsToConclude(0.88, 100, 50, 0.85)!;
		const people = 100 + more;
		expect(wilsonAt(0.88, people / 2)!.low).toBeGreaterThanOrEqual(0.85);
		expect(wilsonAt(0.88, (people - 1) / 2)!.low).toBeLessThan(0.85);
		expect(more).toBeGreaterThan(respondentsToConclude(0.88, 100, 100, 0.85)!);
	});

	it('is 0 once decided, and null when no sample can decide', () => {
		expect(respondentsToConclude(0.99, 1000, 1000, 0.85)).toBe(0);
		expect(respondentsToConclude(0.85, 100, 100, 0.85)).toBeNull();
		expect(respondentsToConclude(0, 0, 0, 0.85)).toBeNull();
	});
});
