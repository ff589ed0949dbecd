import { describe, expect, it } from 'vitest';
import { openingMinutesBetween, parseOpeningHours } from './opening-hours';

const office = parseOpeningHours('Mon-Fri 07:00-11:30,13:00-17:00; Sat 07:00-11:30')!;
// Times are written in Viet Nam (+07:00); 2026-11-27 is a Friday.
const at = (local: string) => new Date(`${local}+07:00`);

describe('opening hours', () => {
	it('reads days, ranges and split shifts, and refuses what it cannot read', () => {
		expect(office.get(1)).toEqual([
			[420, 690],
			[780, 1020]
		]);
		expect(office.get(6)).toEqual([[420, 690]]);
		expect(office.get(7)).toBeUndefined();
		for (const bad of ['Mon 17:00-07:00', 'Fri-Mon 07:00-17:00', 'Mo 07:00-17:00', 'Mon 7-17', ''])
			expect(parseOpeningHours(bad)?.size ?? 0, bad).toBe(0);
	});

	it('counts only the minutes the office is open', () => {
		// Friday 10:00 to 14:00: 10:00–11:30 and 13:00–14:00.
		expect(
			openingMinutesBetween(office, at('2026-11-27T10:00:00'), at('2026-11-27T14:00:00'))
		).toBe(150);
		// Over the lunch break alone: nothing.
		expect(
			openingMinutesBetween(office, at('2026-11-27T11:40:00'), at('2026-11-27T12:50:00'))
		).toBe(0);
	});

	it('does not count the night: silent since 16:55 on Friday is 5 + 10 minutes on Saturday 07:10', () => {
		expect(
			openingMinutesBetween(office, at('2026-11-27T16:55:00'), at('2026-11-28T07:10:00'))
		).toBe(15);
	});

	it('uses Viet Nam days even when UTC is still on the day before', () => {
		// 06:50–07:20 on Monday in Viet Nam is 23:50 Sunday to 00:20 Monday in UTC.
		expect(
			openingMinutesBetween(
				office,
				new Date('2026-11-29T23:50:00Z'),
				new Date('2026-11-30T00:20:00Z')
			)
		).toBe(20);
		// The whole Sunday is closed.
		expect(
			openingMinutesBetween(office, at('2026-11-29T00:00:00'), at('2026-11-30T00:00:00'))
		).toBe(0);
	});
});
