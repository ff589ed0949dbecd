import { stringify } from 'csv-stringify/sync';
import { useApp } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/guard';
import { openBatch } from '../batch.server';
import type { RequestHandler } from './$types';

/** The batch as CSV (UTF-8 with BOM for Excel), for a mail merge or a slip printer. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { tokens } = await openBatch(useApp(), params, url.origin);
	const csv = stringify(
		tokens.map((t) => [t.token, t.link, t.usedAt ? new Date(t.usedAt).toISOString() : '']),
		{ header: true, columns: ['token', 'url', 'used_at'], bom: true, record_delimiter: 'windows' }
	);
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="ma-giay-hen-${params.batch}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
