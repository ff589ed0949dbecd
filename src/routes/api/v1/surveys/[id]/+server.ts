import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { apiErrors } from '$lib/server/http';
import { translations } from '$lib/server/surveys';
import type { RequestHandler } from './$types';

/**
 * The current version of a survey definition, as kiosks cache it, with the languages citizens
 * may answer it in (Khmer, with its texts, once reviewed).
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const app = useApp();
	const version = app.surveys.current(params.id);
	if (!version)
		return apiErrors(404, [
			{ path: 'id', message: translator(locals.locale)('errors.survey_unknown') }
		]);
	const offer = await translations.forRespondents(app.db, version.definition);
	const { $schema: _, ...definition } = offer.definition;
	return json(
		{ ...definition, languages: offer.languages },
		{ headers: { 'Cache-Control': 'public, max-age=300' } }
	);
};
