import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { apiErrors } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The current version of a survey definition, as kiosks cache it. */
export const GET: RequestHandler = ({ params, locals }) => {
	const version = useApp().surveys.current(params.id);
	if (!version)
		return apiErrors(404, [
			{ path: 'id', message: translator(locals.locale)('errors.survey_unknown') }
		]);
	const { $schema: _, ...definition } = version.definition;
	return json(definition, { headers: { 'Cache-Control': 'public, max-age=300' } });
};
