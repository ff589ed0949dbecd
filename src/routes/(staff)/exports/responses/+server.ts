import { responseTable } from '$lib/server/exports/response-rows';
import { csvStream, download, xlsxStream } from '$lib/server/exports/writers';
import { openExport } from '../open-export.server';
import type { RequestHandler } from './$types';

/** Every response in scope, one row each, streamed as CSV or XLSX. */
export const GET: RequestHandler = async (event) => {
	const { app, query, format, name } = await openExport(event, 'responses');
	const table = responseTable(app.db, app.surveys, query);
	return download(
		format === 'csv' ? csvStream(table) : xlsxStream(table, 'Phiếu trả lời'),
		format,
		name
	);
};
