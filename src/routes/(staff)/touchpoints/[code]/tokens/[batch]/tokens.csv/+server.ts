import { stringify } from 'csv-stringify/sync';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { csvDownload } from '$lib/server/http';
import { actor } from '../../../../scoped.server';
import { openBatch } from '../batch.server';
import type { RequestHandler } from './$types';

/** The batch as CSV (UTF-8 with BOM for Excel), for a mail merge or a slip printer. */
export const GET: RequestHandler = async ({ locals, url, params, getClientAddress }) => {
	const { user, touchpoint, tokens } = await openBatch(locals, url, params);
	const csv = stringify(
		tokens.map((t) => [t.token, t.link, t.usedAt ? new Date(t.usedAt).toISOString() : '']),
		{ header: true, columns: ['token', 'url', 'used_at'], bom: true, record_delimiter: 'windows' }
	);
	// Each row is a live one-time link: whoever holds the file can answer in its place.
	await audit(useApp().db, {
		actor: actor(user),
		action: 'export',
		target: touchpoint.code,
		detail: { kind: 'receipt_tokens', batch: params.batch, rows: tokens.length },
		client: getClientAddress()
	});
	return csvDownload(csv, `ma-giay-hen-${params.batch}.csv`);
};
