import { useApp } from '$lib/server/app';
import { requireAccess, unitsInScope } from '$lib/server/auth';
import * as units from '$lib/server/units';
import { localDate, quarterOf } from '$lib/survey/periods';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'export');
	const app = useApp();
	const visible = await unitsInScope(app.db, user);
	return {
		surveys: app.surveys
			.list()
			.map((v) => ({ id: v.definition.id, title: v.definition.title[locals.locale] })),
		units: (await units.list(app.db))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({ code: u.code, name: locals.locale === 'en' ? u.nameEn : u.nameVi })),
		period: quarterOf(localDate(new Date()))
	};
};
