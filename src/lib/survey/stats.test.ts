import { describe, expect, it } from 'vitest';
import { changeBetween, intervalStatus, wilson, wilsonAt } from './stats';

// Bounds computed independently (Python, z = 1.959963984540054) and checked to 1e-6.
const cases: [number, number, number, number][] = [
	[351, 400, 0.841731373, 0.906086845],
	[0, 10, 0, 0.2775328],
	[10, 10, 0.7224672, 1],
	[1, 1, 0.206549314, 1],
	[7, 9, 0.452588969, 0.936774893],
	[85, 100, 0.767164404, 0.906940147]
];

describe('wilson', () => {
	it.each(cases)('%i of %i satisfied → [%f, %f]', (s, n, low, high) => {
		const ci = wilson(s, n)!;
		expect(ci.low).toBeCloseTo(low, 6);
		expect(ci.high).toBeCloseTo(high, 6);
	});

	it('has no interval without answers', () => {
		expect(wilson(0, 0)).toBeNull();
	});
});

describe('target status', () => {
	it('is met only when the lower bound reaches the target', () => {
		expect(intervalStatus(100, { low: 0.85, high: 0.95 }, 0.85)).toBe('met');
		expect(intervalStatus(100, { low: 0.8499, high: 0.95 }, 0.85)).toBe('inconclusive');
	});

	it('is not met only when the upper bound is below the target', () => {
		expect(intervalStatus(100, { low: 0.7, high: 0.8499 }, 0.85)).toBe('not_met');
		expect(intervalStatus(100, { low: 0.7, high: 0.85 }, 0.85)).toBe('inconclusive');
	});

	it('says no_data without answers', () => {
		expect(intervalStatus(0, null, 0.85)).toBe('no_data');
	});
});

describe('wilsonAt', () => {
	it('takes a fractional effective size, and equals wilson on whole people', () => {
		// p = 7/12 on N = 9.19708 (ARCHITECTURE §5 worked by hand in Python).
		const ci = wilsonAt(7 / 12, 9.197080291970803)!;
		expect(ci.low).toBeCloseTo(0.29005726, 7);
		expect(ci.high).toBeCloseTo(0.82750551, 7);
		expect(wilsonAt(0.85, 100)).toEqual(wilson(85, 100));
		expect(wilsonAt(0.5, 0)).toBeNull();
	});
});

// Newcombe (1998), Statistics in Medicine 17:873, table II, method 10 (hybrid score).
describe('changeBetween (Newcombe hybrid score interval)', () => {
	const side = (s: number, n: number) => {
		const ci = wilson(s, n)!;
		return { rate: s / n, low: ci.low, high: ci.high };
	};

	it('matches the published 56/70 against 48/80: +0.0524 to +0.3339', () => {
		const change = changeBetween(side(56, 70), side(48, 80));
		expect(change.diff).toBeCloseTo(0.2, 10);
		expect(change.low).toBeCloseTo(0.0524, 4);
		expect(change.high).toBeCloseTo(0.3339, 4);
		expect(change.real).toBe(true);
	});

	it('does not call 16/20 against 20/20 a change: −41.6 to +0.05 points', () => {
		const change = changeBetween(side(16, 20), side(20, 20));
		expect(change.low).toBeCloseTo(-0.41602, 4);
		expect(change.high).toBeCloseTo(0.00051, 4);
		expect(change.real).toBe(false);
	});

	it('is real downwards too, and symmetric in its sides', () => {
		const up = changeBetween(side(9, 10), side(3, 10));
		expect(up.low).toBeCloseTo(0.17052, 4);
		expect(up.high).toBeCloseTo(0.80902, 4);
		const down = changeBetween(side(3, 10), side(9, 10));
		expect(down.low).toBeCloseTo(-up.high, 12);
		expect(down.high).toBeCloseTo(-up.low, 12);
		expect(down.real).toBe(true);
	});
});
