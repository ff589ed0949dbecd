import { error } from '@sveltejs/kit';
import { stringify } from 'csv-stringify/sync';
import { useApp } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/guard';
import * as receiptTokens from '$lib/server/receipt-tokens';
import * as touchpoints from '$lib/server/touchpoints';
import type { RequestHandler } from './$types';

/** The batch as CSV (UTF-8 with BOM for Excel) for printing codes with a mail-merge or a slip printer. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const app = useApp();
	const touchpoint = await touchpoints.findByCode(app.db, params.code);
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, 'Not found');
	const tokens = await receiptTokens.listBatch(app.db, touchpoint.id, params.batch);
	if (!tokens.length) error(404, 'Not found');
	const origin = app.config.ORIGIN ?? url.origin;
	const csv = stringify(
		tokens.map((t) => [
			t.token,
			`${origin}/s/${touchpoint.code}?t=${t.token}`,
			t.usedAt ? new Date(t.usedAt).toISOString() : ''
		]),
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
