import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { can, inScope } from '$lib/server/auth';
import { apiErrors } from '$lib/server/http';
import * as results from '$lib/server/results';
import { parseResultsQuery } from '$lib/server/results';
import type { RequestHandler } from './$types';

/** Satisfaction against the targets; public with small cells hidden, complete for staff. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const app = useApp();
	const parsed = await parseResultsQuery(app, url.searchParams);
	if (!parsed.ok) {
		const { status, path, message } = parsed.problem;
		return apiErrors(status, [{ path, message: translator(locals.locale)(message) }]);
	}
	// Small cells are shown to those who may read results, within their own subtree only.
	const user = locals.user;
	const full =
		can(user, 'results') && user !== null && (await inScope(app.db, user, parsed.query.unitCode));
	const body = await results.forUnit(app.db, app.surveys, parsed.query, { full });
	return json(body, {
		headers: { 'Cache-Control': full ? 'no-store' : 'public, max-age=60', Vary: 'Cookie' }
	});
};
