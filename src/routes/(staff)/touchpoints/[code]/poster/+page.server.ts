import QRCode from 'qrcode';
import { useApp } from '$lib/server/app';
import * as units from '$lib/server/units';
import { openTouchpoint } from '../../scoped.server';
import type { PageServerLoad } from './$types';

/** A printable poster for a QR touchpoint: always in Vietnamese, with one small English line. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { touchpoint } = await openTouchpoint(locals, url, params.code, {
		capability: 'touchpoints',
		channel: 'qr'
	});
	const app = useApp();
	const link = `${app.config.ORIGIN ?? url.origin}/s/${touchpoint.code}`;
	const unit = await units.get(app.db, touchpoint.unitCode);
	const definition = app.surveys.current(touchpoint.surveyId)?.definition;
	return {
		size: url.searchParams.get('size') === 'a5' ? ('a5' as const) : ('a4' as const),
		code: touchpoint.code,
		unitName: unit?.nameVi ?? touchpoint.unitCode,
		surveyTitle: definition?.title.vi ?? touchpoint.surveyId,
		link,
		svg: await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
	};
};
