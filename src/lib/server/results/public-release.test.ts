import { describe, expect, it } from 'vitest';
import { isReleased, latestReleased, releasedMonths } from './public-release';

describe('the monthly public release', () => {
	it('releases a month on the 5th of the next, by the calendar in Viet Nam', () => {
		// 4 November 23:59 in Viet Nam is 16:59 UTC: October is not out yet.
		expect(latestReleased(new Date('2026-11-04T16:59:00Z'))).toBe('2026-09');
		// 5 November 00:00 in Viet Nam is 4 November 17:00 UTC: October is out.
		expect(latestReleased(new Date('2026-11-04T17:00:00Z'))).toBe('2026-10');
		expect(latestReleased(new Date('2027-01-04T12:00:00Z'))).toBe('2026-11');
		expect(latestReleased(new Date('2027-01-05T12:00:00Z'))).toBe('2026-12');
		expect(latestReleased(new Date('2027-02-01T12:00:00Z'))).toBe('2026-12');
	});

	it('lists released months newest first and refuses the rest', () => {
		const now = new Date('2027-01-10T03:00:00Z');
		expect(releasedMonths(now, 3)).toEqual(['2026-12', '2026-11', '2026-10']);
		expect(isReleased('2026-12', now)).toBe(true);
		expect(isReleased('2019-01', now)).toBe(true);
		expect(isReleased('2027-01', now)).toBe(false);
		expect(isReleased('2026-13', now)).toBe(false);
		expect(isReleased('2026-1', now)).toBe(false);
	});
});
