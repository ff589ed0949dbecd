import QRCode from 'qrcode';
import { useApp } from '$lib/server/app';
import { openBatch } from './batch.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { touchpoint, tokens } = await openBatch(locals, url, params);
	return {
		locale: locals.locale,
		title:
			useApp().surveys.current(touchpoint.surveyId)?.definition.title.vi ?? touchpoint.surveyId,
		unit: touchpoint.unitCode,
		cards: await Promise.all(
			tokens.map(async ({ token, usedAt, link }) => ({
				token,
				used: usedAt !== null,
				link,
				svg: await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
			}))
		)
	};
};
