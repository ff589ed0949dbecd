import { useApp } from '$lib/server/app';
import { requireUser } from '$lib/server/auth/guard';
import * as touchpoints from '$lib/server/touchpoints';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, url);
	const app = useApp();
	const list = await touchpoints.list(app.db);
	return {
		locale: locals.locale,
		touchpoints: list.map((t) => ({
			code: t.code,
			survey: app.surveys.current(t.surveyId)?.definition.title[locals.locale] ?? t.surveyId,
			unit: t.unitCode,
			channel: t.channel,
			active: t.active
		}))
	};
};
