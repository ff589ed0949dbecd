/** How result pages write figures: the numbers come from $lib/format, shared by every page. */
export { decimal, percent } from '$lib/format';

/** Shown beside the verdict's words, never instead of them. */
export const statusIcon: Record<string, string> = {
	met: '✔',
	not_met: '✘',
	inconclusive: '?',
	no_data: '·',
	suppressed: '–'
};

/**
 * Fills `{{name}}` placeholders of a dictionary string. Pages translate with `translator`
 * (which fills them itself); this stays for the kiosk's messages, which still import it.
 */
export function fill(template: string, params: Record<string, string | number>): string {
	return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key] ?? ''));
}
