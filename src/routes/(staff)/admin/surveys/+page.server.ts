import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth';
import * as surveysAdmin from '$lib/server/surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	const app = useApp();
	const list = await surveysAdmin.summaries(app.db);
	return {
		surveys: list.map((s) => ({
			...s,
			title: app.surveys.current(s.id)?.definition.title[locals.locale] ?? s.id
		}))
	};
};
