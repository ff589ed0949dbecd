import { resultsTable, csvStream, xlsxStream } from '$lib/server/exports';
import * as results from '$lib/server/results';
import * as units from '$lib/server/units';
import { exportDownload } from '../open-export.server';
import type { RequestHandler } from './$types';

/** The unit's results and its direct children's, one row each, as CSV or XLSX. */
export const GET: RequestHandler = (event) =>
	exportDownload(event, 'results', async ({ app, query, format }) => {
		const found = await results.forUnit(
			app.db,
			app.surveys,
			{ ...query, groupBy: 'unit' },
			{ full: true }
		);
		const names = new Map((await units.list(app.db)).map((u) => [u.code, u]));
		const table = resultsTable(found, app.surveys.current(query.surveyId)!.definition, names);
		return format === 'csv' ? csvStream(table) : xlsxStream(table, 'Kết quả');
	});
