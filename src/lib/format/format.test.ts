import { describe, expect, it } from 'vitest';
import { bound, interval, monthName, percent } from '.';

describe('bounds that never round across the target', () => {
	it('prints one decimal where that keeps the side', () => {
		expect(bound(0.80188, 0.85, 'vi')).toBe('80,2%');
		expect(bound(0.93, 0.85, 'en')).toBe('93%');
		expect(bound(0.85, 0.85, 'vi')).toBe('85%');
	});

	it('adds decimals below the target rather than print the target itself', () => {
		// One decimal would print 85,0% beside "chưa kết luận được".
		expect(bound(0.84979, 0.85, 'vi')).toBe('84,98%');
		expect(bound(0.849996, 0.85, 'en')).toBe('84.999%');
		expect(percent(0.84979, 'vi')).toBe('85%');
	});

	it('cuts toward the bound’s own side past three decimals', () => {
		expect(bound(0.84999999, 0.85, 'vi')).toBe('84,999%');
	});

	it('prints an interval, or a dash without one, and plain percentages without a target', () => {
		expect(interval(0.84979, 0.9301, 0.85, 'vi')).toBe('84,98% – 93%');
		expect(interval(null, null, 0.85, 'vi')).toBe('—');
		expect(bound(0.84979, null, 'en')).toBe('85%');
	});
});

describe('month names', () => {
	it('writes a month as people do in each language', () => {
		expect(monthName('2026-11', 'vi')).toBe('tháng 11/2026');
		expect(monthName('2027-01', 'vi')).toBe('tháng 1/2027');
		expect(monthName('2026-11', 'en')).toBe('November 2026');
	});
});
