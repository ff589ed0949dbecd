import QRCode from 'qrcode';
import { useApp } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/guard';
import { openBatch } from './batch.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const app = useApp();
	const { touchpoint, tokens } = await openBatch(app, params, url.origin);
	return {
		locale: locals.locale,
		title: app.surveys.current(touchpoint.surveyId)?.definition.title.vi ?? touchpoint.surveyId,
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
