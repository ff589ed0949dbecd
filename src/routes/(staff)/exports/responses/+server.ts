import { responseTable, csvStream, xlsxStream } from '$lib/server/exports';
import { exportDownload } from '../open-export.server';
import type { RequestHandler } from './$types';

/** Every response in scope, one row each, streamed as CSV or XLSX. */
export const GET: RequestHandler = (event) =>
	exportDownload(event, 'responses', async ({ app, query, format }) => {
		const table = responseTable(app.db, app.surveys, query);
		return format === 'csv' ? csvStream(table) : xlsxStream(table, 'Phiếu trả lời');
	});
