import type { PageServerLoad } from './$types';
import { reportFor } from '../report.server';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { document } = await reportFor(locals, url, params.quarter);
	const pdf = url.searchParams.get('pdf');
	return {
		document,
		pdfProblem:
			pdf === 'unavailable' ? document.m.pdfUnavailable : pdf === 'busy' ? document.m.pdfBusy : null
	};
};
