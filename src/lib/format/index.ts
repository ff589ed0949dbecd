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
