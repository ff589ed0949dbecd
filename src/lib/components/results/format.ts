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
