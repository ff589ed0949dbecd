/**
 * Office opening hours in Viet Nam's time, e.g. `Mon-Fri 07:00-11:30,13:00-17:00; Sat 07:00-11:30`,
 * and how many opening minutes lie between two instants: a kiosk is "silent" when it has missed
 * more than half an hour of opening time, not when the office is merely closed for the night.
 */
export type OpeningHours = Map<number, [number, number][]>; // ISO weekday 1–7 → minute spans

const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const VN_OFFSET_MS = 7 * 60 * 60_000;

function minutesOf(hhmm: string | undefined): number | null {
	if (hhmm === '24:00') return 24 * 60;
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm ?? '');
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Parses the setting; null when it is not well formed. */
export function parseOpeningHours(text: string): OpeningHours | null {
	const hours: OpeningHours = new Map();
	for (const part of text
		.split(';')
		.map((p) => p.trim())
		.filter(Boolean)) {
		const match = /^([A-Za-z]{3})(?:-([A-Za-z]{3}))?\s+(.+)$/.exec(part);
		if (!match) return null;
		const from = days.indexOf(match[1]!);
		const to = match[2] ? days.indexOf(match[2]) : from;
		if (from < 0 || to < from) return null;
		const spans: [number, number][] = [];
		for (const span of match[3]!.split(',').map((s) => s.trim())) {
			const [a, b] = span.split('-').map(minutesOf);
			if (a == null || b == null || a >= b) return null;
			spans.push([a, b]);
		}
		for (let d = from; d <= to; d++) hours.set(d + 1, [...(hours.get(d + 1) ?? []), ...spans]);
	}
	return hours;
}

/** Opening minutes in [from, to), walking Viet Nam's calendar days. */
export function openingMinutesBetween(hours: OpeningHours, from: Date, to: Date): number {
	if (to <= from) return 0;
	let total = 0;
	const start = from.getTime() + VN_OFFSET_MS;
	const end = to.getTime() + VN_OFFSET_MS;
	const DAY = 24 * 60 * 60_000;
	for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
		const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
		for (const [a, b] of hours.get(weekday) ?? []) {
			const open = Math.max(day + a * 60_000, start);
			const close = Math.min(day + b * 60_000, end);
			if (close > open) total += (close - open) / 60_000;
		}
	}
	return Math.floor(total);
}
