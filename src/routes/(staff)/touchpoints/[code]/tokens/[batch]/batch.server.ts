import { error } from '@sveltejs/kit';
import type { App } from '$lib/server/app';
import * as receiptTokens from '$lib/server/receipt-tokens';
import * as touchpoints from '$lib/server/touchpoints';

/** A batch of one-time codes of a QR touchpoint, each with the link its QR code carries. */
export async function openBatch(
	app: App,
	params: { code: string; batch: string },
	requestOrigin: string
) {
	const touchpoint =
		params.code.length <= 64 ? await touchpoints.findByCode(app.db, params.code) : undefined;
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, 'Không tìm thấy / Not found');
	const tokens = await receiptTokens.listBatch(app.db, touchpoint.id, params.batch);
	if (!tokens.length) error(404, 'Không tìm thấy / Not found');
	const origin = app.config.ORIGIN ?? requestOrigin;
	return {
		touchpoint,
		tokens: tokens.map((t) => ({ ...t, link: `${origin}/s/${touchpoint.code}?t=${t.token}` }))
	};
}
