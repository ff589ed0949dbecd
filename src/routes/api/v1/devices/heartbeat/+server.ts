import { json } from '@sveltejs/kit';
import { version as appVersion } from '$app/environment';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { heartbeat, recordHeartbeat, devices } from '$lib/server/touchpoints';
import { placeOf } from '$lib/server/units';
import { translations } from '$lib/server/surveys';
import { apiErrors, readJson, refuseBody } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * A paired kiosk reports its queue and connection every minute and learns what its touchpoint
 * expects now: the survey's current version (picked up between respondents) and idle behaviour.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const t = translator(locals.locale);
	const app = useApp();
	const token = devices.bearerToken(request.headers.get('authorization'));
	const unauthorised = () =>
		apiErrors(401, [{ path: '', message: t('errors.device_token_required') }], {
			'WWW-Authenticate': 'Bearer'
		});
	if (!token) return unauthorised();
	const read = await readJson(request);
	if (!read.ok) return refuseBody(read.problem, t);
	const parsed = heartbeat.safeParse(read.value);
	if (!parsed.success) {
		return apiErrors(
			422,
			parsed.error.issues.map((i) => ({
				path: i.path.join('.'),
				message: t('errors.field_invalid')
			}))
		);
	}
	const expected = await recordHeartbeat(app.db, token, parsed.data);
	if (!expected) return unauthorised();
	const { unitCode, ...rest } = expected;
	const current = app.surveys.current(expected.survey);
	// A translation reviewed since the tablet fetched the definition makes it fetch it again.
	const languages = current
		? (await translations.forRespondents(app.db, current.definition)).languages
		: ['vi', 'en'];
	return json(
		{
			...rest,
			// The office's and province's names, so a renamed unit reaches the counter.
			place: (await placeOf(app.db, unitCode)) ?? null,
			version: current?.definition.version ?? null,
			languages,
			// A kiosk running older code reloads between respondents to pick up this build.
			appVersion
		},
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
