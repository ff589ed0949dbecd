import { describe, expect, it } from 'vitest';
import { intervalStatus, pointStatus, wilson } from './stats';

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
		expect(pointStatus(0, null, 0.85)).toBe('no_data');
	});

	it('judges a point index on its value', () => {
		expect(pointStatus(5, 0.85, 0.85)).toBe('met');
		expect(pointStatus(5, 0.8499, 0.85)).toBe('not_met');
	});
});
