import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';
import { reportFor } from '../report.server';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { document } = await reportFor(locals, url, params.quarter);
	const t = translator(locals.locale);
	const pdf = url.searchParams.get('pdf');
	return {
		document,
		pdfProblem:
			pdf === 'unavailable'
				? t('report.pdfUnavailable')
				: pdf === 'busy'
					? t('report.pdfBusy')
					: null
	};
};
