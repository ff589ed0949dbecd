import { describe, expect, it } from 'vitest';
import {
	lastMonths,
	monthEnd,
	monthStart,
	shiftDay,
	wholeMonths,
	previousRange,
	effectiveInstant,
	isStorableInstant,
	localDate,
	monthsBetween,
	parsePeriod,
	quarterOf,
	startOfLocalDate
} from './periods';

describe('periods in Asia/Ho_Chi_Minh', () => {
	it('counts 2018-06-30T17:30:00Z in 2018-Q3 (it is 00:30 on 1 July in Viet Nam)', () => {
		expect(localDate(new Date('2018-06-30T17:30:00Z'))).toBe('2018-07-01');
		expect(quarterOf(localDate(new Date('2018-06-30T17:30:00Z')))).toBe('2018-Q3');
	});

	it('keeps 2018-06-30T16:59:59Z in 2018-Q2', () => {
		expect(quarterOf(localDate(new Date('2018-06-30T16:59:59Z')))).toBe('2018-Q2');
	});

	it('starts a local day at 17:00 UTC the day before', () => {
		expect(startOfLocalDate('2018-07-01').toISOString()).toBe('2018-06-30T17:00:00.000Z');
	});

	it.each([
		['2018', '2018-01-01', '2018-12-31'],
		['2018-H1', '2018-01-01', '2018-06-30'],
		['2018-H2', '2018-07-01', '2018-12-31'],
		['2018-Q1', '2018-01-01', '2018-03-31'],
		['2018-Q3', '2018-07-01', '2018-09-30'],
		['2020-02', '2020-02-01', '2020-02-29'],
		['2019-02', '2019-02-01', '2019-02-28']
	])('%s is %s to %s', (period, from, to) => {
		expect(parsePeriod(period)).toEqual({ from, to });
	});

	it.each(['2018-Q5', '2018-13', '18-Q1', '2018-H3', '', '2018-Q3; drop table units'])(
		'refuses %j',
		(period) => expect(parsePeriod(period)).toBeNull()
	);

	it('lists the months of a range', () => {
		expect(monthsBetween({ from: '2018-11-15', to: '2019-02-01' })).toEqual([
			'2018-11',
			'2018-12',
			'2019-01',
			'2019-02'
		]);
	});
});

describe('effective instant', () => {
	const received = new Date('2018-07-10T03:00:00Z');

	it('trusts a plausible device time', () => {
		const reported = new Date('2018-07-09T03:00:00Z');
		expect(effectiveInstant(reported, received)).toBe(reported);
	});

	it('takes the receipt time for a clock more than 5 minutes ahead', () => {
		expect(effectiveInstant(new Date('2018-07-10T03:05:01Z'), received)).toBe(received);
		const justInside = new Date('2018-07-10T03:05:00Z');
		expect(effectiveInstant(justInside, received)).toBe(justInside);
	});

	it('takes the receipt time for a clock more than 30 days behind (or 1970)', () => {
		expect(effectiveInstant(new Date('2018-06-10T02:59:59Z'), received)).toBe(received);
		expect(effectiveInstant(new Date(0), received)).toBe(received);
	});
});

describe('previousRange', () => {
	const prev = (period: string) => previousRange(period, parsePeriod(period)!);
	it('steps back one calendar period, across year ends', () => {
		expect(prev('2026-03')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
		expect(prev('2026-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
		expect(prev('2024-03')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(prev('2026-Q1')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
		expect(prev('2026-Q3')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
		expect(prev('2026-H1')).toEqual({ from: '2025-07-01', to: '2025-12-31' });
		expect(prev('2026-H2')).toEqual({ from: '2026-01-01', to: '2026-06-30' });
		expect(prev('2026')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
	});
	it('takes the same number of days before a custom span', () => {
		expect(previousRange(null, { from: '2026-03-01', to: '2026-03-10' })).toEqual({
			from: '2026-02-19',
			to: '2026-02-28'
		});
	});
});

describe('isStorableInstant', () => {
	it('takes the years PostgreSQL stores as we send them, and nothing outside', () => {
		expect(isStorableInstant(new Date('2024-05-01T10:00:00+07:00'))).toBe(true);
		expect(isStorableInstant(new Date('0001-01-01T00:00:00Z'))).toBe(true);
		expect(isStorableInstant(new Date('9999-12-31T16:59:59.999Z'))).toBe(true);
		// Year 0 and six-digit years: what toISOString writes for them fails the insert.
		expect(isStorableInstant(new Date('0000-01-01T00:00:00Z'))).toBe(false);
		expect(isStorableInstant(new Date('0001-01-01T06:59:59+07:00'))).toBe(false);
		expect(isStorableInstant(new Date('9999-12-31T23:59:59-14:00'))).toBe(false);
		// Its local date would be 10000-01-01.
		expect(isStorableInstant(new Date('9999-12-31T17:00:00Z'))).toBe(false);
		expect(isStorableInstant(new Date(NaN))).toBe(false);
	});
});

describe('month arithmetic', () => {
	it('moves days across month, year and leap-day edges', () => {
		expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
		expect(shiftDay('2024-03-01', -1)).toBe('2024-02-29');
		expect(shiftDay('2018-12-31', 1)).toBe('2019-01-01');
	});

	it('finds month ends and month starts', () => {
		expect(monthEnd('2023-02-10')).toBe('2023-02-28');
		expect(monthEnd('2024-02-01')).toBe('2024-02-29');
		expect(monthStart('2018-12-15', 1)).toBe('2019-01-01');
		expect(monthStart('2018-01-15', -1)).toBe('2017-12-01');
		expect(monthStart('2018-07-31')).toBe('2018-07-01');
	});

	it('takes only the whole months of a range', () => {
		expect(wholeMonths({ from: '2018-07-01', to: '2018-09-30' })).toEqual({
			first: '2018-07-01',
			last: '2018-09-01'
		});
		expect(wholeMonths({ from: '2018-07-02', to: '2018-09-29' })).toEqual({
			first: '2018-08-01',
			last: '2018-08-01'
		});
		expect(wholeMonths({ from: '2018-07-02', to: '2018-08-30' })).toBeNull();
		expect(wholeMonths({ from: '2018-12-01', to: '2019-01-31' })).toEqual({
			first: '2018-12-01',
			last: '2019-01-01'
		});
	});

	it('spans the last months up to this one', () => {
		expect(lastMonths(12, '2026-03-15')).toEqual({ from: '2025-04-01', to: '2026-03-31' });
		expect(lastMonths(1, '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
	});
});
