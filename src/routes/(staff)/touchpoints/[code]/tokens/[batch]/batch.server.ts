import { error } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { receiptTokens } from '$lib/server/touchpoints';
import { openTouchpoint } from '../../../scoped.server';

/**
 * A batch of one-time codes of a QR touchpoint in the user's scope, each with the link its QR
 * code carries. A batch id of another touchpoint finds no tokens here and answers 404.
 */
export async function openBatch(
	locals: App.Locals,
	url: URL,
	params: { code: string; batch: string }
) {
	const opened = await openTouchpoint(locals, url, params.code, {
		capability: 'touchpoints',
		channel: 'qr'
	});
	const { touchpoint } = opened;
	const app = useApp();
	const tokens =
		params.batch.length <= 32
			? await receiptTokens.listBatch(app.db, touchpoint.id, params.batch)
			: [];
	if (!tokens.length) error(404, 'Không tìm thấy / Not found');
	const origin = app.config.ORIGIN ?? url.origin;
	return {
		...opened,
		tokens: tokens.map((t) => ({ ...t, link: `${origin}/s/${touchpoint.code}?t=${t.token}` }))
	};
}
