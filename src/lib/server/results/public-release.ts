import { localDate } from '$lib/survey/periods';

/** The plan publishes each month's results on the 5th of the next month (appendix, row 5). */
export const RELEASE_DAY = 5;

const monthKey = (year: number, month: number) =>
	`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** The newest month already released on this instant, by the calendar in Viet Nam. */
export function latestReleased(now: Date): string {
	const [y, m, d] = localDate(now).split('-').map(Number) as [number, number, number];
	const back = d >= RELEASE_DAY ? 1 : 2;
	const index = y * 12 + (m - 1) - back;
	return monthKey(Math.floor(index / 12), (index % 12) + 1);
}

/** The released months, newest first. */
export function releasedMonths(now: Date, count = 24): string[] {
	const [y, m] = latestReleased(now).split('-').map(Number) as [number, number];
	const newest = y * 12 + (m - 1);
	return Array.from({ length: count }, (_, i) =>
		monthKey(Math.floor((newest - i) / 12), ((newest - i) % 12) + 1)
	);
}

export function isReleased(month: string, now: Date): boolean {
	return /^\d{4}-(0[1-9]|1[0-2])$/.test(month) && month <= latestReleased(now);
}
