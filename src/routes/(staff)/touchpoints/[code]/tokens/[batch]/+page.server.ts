import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { useApp } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/guard';
import * as receiptTokens from '$lib/server/receipt-tokens';
import * as touchpoints from '$lib/server/touchpoints';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const app = useApp();
	const touchpoint = await touchpoints.findByCode(app.db, params.code);
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, 'Không tìm thấy / Not found');
	const tokens = await receiptTokens.listBatch(app.db, touchpoint.id, params.batch);
	if (!tokens.length) error(404, 'Không tìm thấy / Not found');
	const origin = app.config.ORIGIN ?? url.origin;
	const survey = app.surveys.current(touchpoint.surveyId)?.definition;
	return {
		locale: locals.locale,
		title: survey?.title.vi ?? touchpoint.surveyId,
		unit: touchpoint.unitCode,
		cards: await Promise.all(
			tokens.map(async ({ token, usedAt }) => {
				const link = `${origin}/s/${touchpoint.code}?t=${token}`;
				return {
					token,
					used: usedAt !== null,
					link,
					svg: await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
				};
			})
		)
	};
};
