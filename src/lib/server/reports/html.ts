import type { ComponentProps } from 'svelte';
import { render } from 'svelte/server';
import QuarterlyReport from '$lib/components/report/QuarterlyReport.svelte';
import { translator } from '$lib/i18n';
import reportCss from '$lib/components/report/report.css?inline';

// The report's own stylesheet, inlined: the PDF's page loads nothing. The server's Chromium has
// no Times New Roman with every Vietnamese letter (its stand-in lacks some, so words would mix
// two fonts); DejaVu Serif has them all.
const style = `<style>:root{--report-font:'DejaVu Serif',serif}\n${reportCss}</style>`;

/** The quarterly report as one standalone HTML document, for headless Chromium to print. */
export function reportHtml(props: ComponentProps<typeof QuarterlyReport>): string {
	const { head, body } = render(QuarterlyReport, { props });
	const title = translator(props.locale)('report.title');
	return `<!doctype html><html lang="${props.locale}"><head><meta charset="utf-8"><title>${title} ${props.report.quarter}</title>${style}${head}</head><body>${body}</body></html>`;
}
