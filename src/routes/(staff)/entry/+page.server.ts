import { redirect } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { requireAccess, scopeRoot, unitsInScope } from '$lib/server/auth';
import * as units from '$lib/server/units';
import { entryTarget, paperSurveys } from './entry.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'entry');
	const app = useApp();
	const survey = url.searchParams.get('survey');
	const unit = url.searchParams.get('unit');
	// The chooser is a GET form: check what it sent, then open the entry form itself.
	if (survey && unit) {
		await entryTarget(app, user, survey, unit);
		redirect(303, `/entry/${encodeURIComponent(survey)}/${encodeURIComponent(unit)}`);
	}
	const visible = await unitsInScope(app.db, user);
	const name = (u: units.Unit) => (locals.locale === 'en' ? u.nameEn : u.nameVi);
	return {
		surveys: paperSurveys(app, locals.locale),
		units: (await units.list(app.db))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({ code: u.code, name: name(u) })),
		selected: { survey: survey ?? '', unit: unit ?? scopeRoot(user) ?? '' }
	};
};
