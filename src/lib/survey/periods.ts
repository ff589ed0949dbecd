/**
 * Periods are calendar dates in Asia/Ho_Chi_Minh. Viet Nam has kept UTC+7 without daylight
 * saving since 1975, so a fixed offset is exact for every date the product will see.
 */
export const TIMEZONE = 'Asia/Ho_Chi_Minh';
const OFFSET_MS = 7 * 60 * 60 * 1000;

export interface DateRange {
	/** First day, YYYY-MM-DD, inclusive. */
	from: string;
	/** Last day, YYYY-MM-DD, inclusive. */
	to: string;
}

/** The local calendar date (YYYY-MM-DD) of an instant in Viet Nam. */
export function localDate(instant: Date): string {
	return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight at the start of a local date, as an instant. */
export function startOfLocalDate(date: string): Date {
	return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

const iso = (y: number, m: number, d: number) =>
	`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthsRange = (y: number, first: number, last: number): DateRange => ({
	from: iso(y, first, 1),
	to: iso(y, last, lastDay(y, last))
});

/** Parses `2018`, `2018-H2`, `2018-Q3` or `2018-07`; null when it is none of these. */
export function parsePeriod(period: string): DateRange | null {
	let m = /^(\d{4})$/.exec(period);
	if (m) return monthsRange(Number(m[1]), 1, 12);
	m = /^(\d{4})-H([12])$/.exec(period);
	if (m) return monthsRange(Number(m[1]), Number(m[2]) * 6 - 5, Number(m[2]) * 6);
	m = /^(\d{4})-Q([1-4])$/.exec(period);
	if (m) return monthsRange(Number(m[1]), Number(m[2]) * 3 - 2, Number(m[2]) * 3);
	m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
	if (m) return monthsRange(Number(m[1]), Number(m[2]), Number(m[2]));
	return null;
}

/**
 * The period just before: the previous month, quarter, half or year; for a custom span, the
 * same number of days ending the day before it starts.
 */
export function previousRange(period: string | null, range: DateRange): DateRange {
	const shift = (y: number, index: number, per: number, months: number) => {
		const at = y * per + index - 2; // zero-based index of the previous block
		const year = Math.floor(at / per);
		const block = (at % per) + 1;
		return monthsRange(year, block * months - months + 1, block * months);
	};
	let m = period ? /^(\d{4})$/.exec(period) : null;
	if (m) return monthsRange(Number(m[1]) - 1, 1, 12);
	m = period ? /^(\d{4})-H([12])$/.exec(period) : null;
	if (m) return shift(Number(m[1]), Number(m[2]), 2, 6);
	m = period ? /^(\d{4})-Q([1-4])$/.exec(period) : null;
	if (m) return shift(Number(m[1]), Number(m[2]), 4, 3);
	m = period ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period) : null;
	if (m) return shift(Number(m[1]), Number(m[2]), 12, 1);
	const day = 86_400_000;
	const from = Date.parse(`${range.from}T00:00:00Z`);
	const days = (Date.parse(`${range.to}T00:00:00Z`) - from) / day + 1;
	const date = (t: number) => new Date(t).toISOString().slice(0, 10);
	return { from: date(from - days * day), to: date(from - day) };
}

/** An ISO date moved by whole days. */
export function shiftDay(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last day of the month a date lies in. */
export function monthEnd(date: string): string {
	const [y, m] = date.split('-').map(Number) as [number, number];
	return iso(y, m, lastDay(y, m));
}

/** The first day of the month `months` after (or before) the month a date lies in. */
export function monthStart(date: string, months = 0): string {
	const [y, m] = date.split('-').map(Number) as [number, number];
	const at = y * 12 + (m - 1) + months;
	return iso(Math.floor(at / 12), (at % 12) + 1, 1);
}

/** The whole months inside a range, as their first days; null when the range holds none. */
export function wholeMonths(range: DateRange): { first: string; last: string } | null {
	const first = range.from.endsWith('-01') ? range.from : monthStart(range.from, 1);
	const last = range.to === monthEnd(range.to) ? monthStart(range.to) : monthStart(range.to, -1);
	return first > last ? null : { first, last };
}

/** The `count` whole months ending with the month of `today`. */
export function lastMonths(count: number, today: string): DateRange {
	return { from: monthStart(today, 1 - count), to: monthEnd(today) };
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `2018-07` → `2018-Q3`. */
export function quarterOfMonth(month: string): string {
	const [y, m] = month.split('-');
	return `${y}-Q${Math.ceil(Number(m) / 3)}`;
}

/** The quarter containing a local date, e.g. for a default period. */
export function quarterOf(date: string): string {
	return quarterOfMonth(date.slice(0, 7));
}

/** Every month key (YYYY-MM) from one date to another, inclusive. */
export function monthsBetween({ from, to }: DateRange): string[] {
	const out: string[] = [];
	let y = Number(from.slice(0, 4));
	let m = Number(from.slice(5, 7));
	const end = to.slice(0, 7);
	for (;;) {
		const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
		if (key > end) break;
		out.push(key);
		m += 1;
		if (m > 12) {
			m = 1;
			y += 1;
		}
	}
	return out;
}

export const PLAUSIBLE_FUTURE_MS = 5 * 60 * 1000;
export const PLAUSIBLE_PAST_MS = 30 * 24 * 60 * 60 * 1000;

/** The first and last instants PostgreSQL takes as we send them (ISO 8601, years 0001–9999). */
const FIRST_STORABLE_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Whether an instant can be stored in a timestamptz column and its local date in a date column.
 * `toISOString` writes year 0 as 0000 and later years with six digits, which PostgreSQL refuses;
 * a client's clock or a paper form's date outside these years is invalid input, not a failure.
 */
export function isStorableInstant(instant: Date): boolean {
	const t = instant.getTime();
	return t >= FIRST_STORABLE_MS && t + OFFSET_MS <= LAST_STORABLE_MS;
}

/**
 * The instant a response counts at: the device's answeredAt when plausible (no later than
 * receipt + 5 minutes, no earlier than receipt − 30 days), else the server's receipt time, so a
 * kiosk with a wrong clock still files answers in the right period.
 */
export function effectiveInstant(reported: Date | null, received: Date): Date {
	if (!reported || Number.isNaN(reported.getTime())) return received;
	const delta = reported.getTime() - received.getTime();
	if (delta > PLAUSIBLE_FUTURE_MS || delta < -PLAUSIBLE_PAST_MS) return received;
	return reported;
}
