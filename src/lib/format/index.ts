// How every page writes numbers and moments: one place, so the dashboard, the staff lists, the
// public page and the report agree. Moments are shown in Viet Nam time whatever the browser's.
import type { Locale } from '$lib/i18n/locales';

const TIMEZONE = 'Asia/Ho_Chi_Minh';
const tag = (locale: Locale | string | undefined) => (locale === 'en' ? 'en-GB' : 'vi-VN');

/** A whole or decimal number in the locale's style: "1.234,5" in Vietnamese. */
export function decimal(v: number, locale: Locale | string, digits = 1): string {
	return v.toLocaleString(tag(locale), { maximumFractionDigits: digits });
}

/** A count: "12.345" in Vietnamese, "12,345" in English. */
export function count(v: number, locale: Locale | string): string {
	return v.toLocaleString(tag(locale));
}

/** A share (0–1) as a percentage with one decimal, "—" when there is none. */
export function percent(v: number | null, locale: Locale | string): string {
	return v === null ? '—' : decimal(v * 100, locale) + '%';
}

type Style = 'short' | 'medium';

/** A moment (ISO string or Date) as date and time, or "—" (or `missing`) when absent. */
export function dateTime(
	at: string | Date | null | undefined,
	locale: Locale | string,
	{
		date = 'short',
		time = 'short',
		missing = '—'
	}: { date?: Style; time?: Style; missing?: string } = {}
): string {
	if (!at) return missing;
	return new Date(at).toLocaleString(tag(locale), {
		timeZone: TIMEZONE,
		dateStyle: date,
		timeStyle: time
	});
}

/** A moment as its calendar date only. */
export function dateOnly(
	at: string | Date | null | undefined,
	locale: Locale | string,
	missing = '—'
) {
	if (!at) return missing;
	return new Date(at).toLocaleDateString(tag(locale), { timeZone: TIMEZONE });
}

/**
 * A bound of a 95% interval as a percentage that never rounds across the target: the printed
 * bound stands on the same side of the printed target as the bound itself, as the verdict reads
 * it (ARCHITECTURE §5), so that "84,98%" sits beside "chưa kết luận được" where one decimal would
 * print "85,0%". One more decimal where needed, up to three; past that the bound is cut toward
 * its own side.
 */
export function bound(v: number | null, target: number | null, locale: Locale | string): string {
	if (v === null) return '—';
	if (target === null) return percent(v, locale);
	const above = v >= target;
	const printedTarget = Math.round(target * 100 * 1e6) / 1e6;
	for (let digits = 1; digits <= 3; digits++) {
		const scale = 10 ** digits;
		const printed = Math.round(v * 100 * scale) / scale;
		if (printed >= printedTarget === above) return decimal(printed, locale, digits) + '%';
	}
	const cut = (above ? Math.ceil : Math.floor)(v * 100 * 1000) / 1000;
	return decimal(cut, locale, 3) + '%';
}

/** An interval "80,2% – 93,0%", its bounds printed so that neither crosses the target. */
export function interval(
	low: number | null,
	high: number | null,
	target: number | null,
	locale: Locale | string
): string {
	if (low === null || high === null) return '—';
	return `${bound(low, target, locale)} – ${bound(high, target, locale)}`;
}

/** A calendar month 'YYYY-MM' as people write it: "tháng 11/2026", "November 2026". */
export function monthName(month: string, locale: Locale | string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	if (locale !== 'en') return `tháng ${m}/${y}`;
	return new Date(Date.UTC(y, m - 1, 15)).toLocaleString('en-GB', {
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}
