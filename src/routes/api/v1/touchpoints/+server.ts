import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { unitsInScope } from '$lib/server/auth';
import { apiErrors } from '$lib/server/http';
import * as touchpoints from '$lib/server/touchpoints';
import type { RequestHandler } from './$types';

/** Staff only: the touchpoints of the caller's units, each with its public survey link. */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) {
		return apiErrors(401, [
			{ path: '', message: translator(locals.locale)('errors.sign_in_required') }
		]);
	}
	const app = useApp();
	const origin = app.config.ORIGIN ?? url.origin;
	// Managers and clerks see their subtree; admins and analysts (scope null) see every unit.
	const list = await touchpoints.listWithin(app.db, await unitsInScope(app.db, locals.user));
	return json(
		list.map((t) => ({
			code: t.code,
			survey: t.surveyId,
			unit: t.unitCode,
			channel: t.channel,
			url: t.channel === 'kiosk' ? `${origin}/kiosk` : `${origin}/s/${t.code}`
		})),
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
