import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * HTML to an A4 PDF through headless Chromium's print path: the PDF is the page as printed,
 * with the same print stylesheet and the system's Vietnamese fonts, instead of a second layout
 * kept in step by hand in a PDF library. The Chromium is the system's (Debian's `chromium`,
 * the one the tests drive); playwright-core downloads no browser.
 */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class PdfUnavailable extends Error {}
export class PdfBusy extends Error {}

// One PDF at a time: a Chromium costs a few hundred MB, and reports are made a few times a
// quarter. A second request while one renders is told to retry rather than queued unboundedly.
let rendering = false;

export async function htmlToPdf(html: string): Promise<Buffer> {
	if (!existsSync(chromiumPath())) throw new PdfUnavailable(`no Chromium at ${chromiumPath()}`);
	if (rendering) throw new PdfBusy();
	rendering = true;
	const browser = await chromium
		.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], timeout: 30_000 })
		.catch((error: unknown) => {
			rendering = false;
			throw new PdfUnavailable(String(error));
		});
	try {
		const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
		const page = await context.newPage();
		// The document is self-contained: nothing it names is fetched from anywhere.
		await page.route('**/*', (route) => route.abort());
		await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
		return await page.pdf({
			format: 'A4',
			printBackground: true,
			preferCSSPageSize: true,
			displayHeaderFooter: true,
			headerTemplate: '<span></span>',
			footerTemplate:
				'<div style="font-size:9px;width:100%;text-align:center"><span class="pageNumber"></span>/<span class="totalPages"></span></div>'
		});
	} finally {
		await browser.close();
		rendering = false;
	}
}
