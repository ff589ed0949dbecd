import { redirect } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { htmlToPdf, PdfBusy, PdfUnavailable, reportHtml } from '$lib/server/reports';
import { reportFor } from '../../report.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url, params, getClientAddress }) => {
	const { user, document } = await reportFor(locals, url, params.quarter);
	const html = reportHtml(document);
	let pdf: Buffer;
	try {
		pdf = await htmlToPdf(html);
	} catch (error) {
		const reason =
			error instanceof PdfBusy ? 'busy' : error instanceof PdfUnavailable ? 'unavailable' : null;
		if (!reason) throw error;
		redirect(303, `/reports/${params.quarter}?pdf=${reason}`);
	}
	await audit(useApp().db, {
		actor: { id: user.id, email: user.email },
		action: 'export',
		target: `report ${params.quarter}`,
		detail: { kind: 'quarterly_report', quarter: params.quarter, bytes: pdf.length },
		client: getClientAddress()
	});
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="bao-cao-hai-long-${params.quarter}.pdf"`,
			'cache-control': 'no-store'
		}
	});
};
