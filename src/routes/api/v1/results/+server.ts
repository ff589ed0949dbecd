import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { apiErrors } from '$lib/server/http';
import * as results from '$lib/server/results';
import { parseResultsQuery } from '$lib/server/results-query';
import type { RequestHandler } from './$types';

/** Satisfaction against the targets; public with small cells hidden, complete for staff. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const app = useApp();
	const parsed = await parseResultsQuery(app, url.searchParams);
	if (!parsed.ok) {
		const { status, path, message } = parsed.problem;
		return apiErrors(status, [{ path, message: translator(locals.locale)(message) }]);
	}
	const full = locals.user !== null;
	const body = await results.forUnit(app.db, app.surveys, parsed.query, { full });
	return json(body, {
		headers: { 'Cache-Control': full ? 'no-store' : 'public, max-age=60', Vary: 'Cookie' }
	});
};
