/** How result pages write figures: one place, so the dashboard, trends and public page agree. */

const numberLocale = (locale: string) => (locale === 'en' ? 'en-GB' : 'vi-VN');

export function percent(v: number | null, locale: string): string {
	return v === null
		? '—'
		: (v * 100).toLocaleString(numberLocale(locale), { maximumFractionDigits: 1 }) + '%';
}

export function decimal(v: number, locale: string, digits = 1): string {
	return v.toLocaleString(numberLocale(locale), { maximumFractionDigits: digits });
}

/** Shown beside the verdict's words, never instead of them. */
export const statusIcon: Record<string, string> = {
	met: '✔',
	not_met: '✘',
	inconclusive: '?',
	no_data: '·',
	suppressed: '–'
};

/** Fills `{{name}}` placeholders of a dictionary string. */
export function fill(template: string, params: Record<string, string | number>): string {
	return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key] ?? ''));
}
