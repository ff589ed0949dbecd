import { resultsTable, csvStream, download } from '$lib/server/exports';
import { openRelease } from '../release.server';
import type { RequestHandler } from './$types';

/** The released month's figures as CSV, small cells suppressed as on the page. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { month, def, units, found } = await openRelease(url, locals.locale);
	const table = resultsTable(found, def, new Map(units.map((u) => [u.code, u])));
	const response = download(csvStream(table), 'csv', `cong-khai-${def.id}-${month}`);
	response.headers.set('Cache-Control', 'public, max-age=600');
	return response;
};
