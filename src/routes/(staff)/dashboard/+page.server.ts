import { translator } from '$lib/i18n';
import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import { localDate, quarterOf } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, requireUnitInScope } from '$lib/server/auth/guard';
import { scopeRoot, unitsInScope } from '$lib/server/auth/scope';
import * as results from '$lib/server/results';
import { parseResultsQuery } from '$lib/server/results-query';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	const unit = url.searchParams.get('unit') || scopeRoot(user) || 'AG';
	await requireUnitInScope(app.db, user, unit);
	const visible = await unitsInScope(app.db, user);
	const t = translator(locals.locale);
	const surveys = app.surveys
		.list()
		.map((v) => ({ id: v.definition.id, title: v.definition.title[locals.locale] }));
	const params = new URLSearchParams({
		survey: url.searchParams.get('survey') || surveys[0]?.id || '',
		unit,
		period: url.searchParams.get('period') || quarterOf(localDate(new Date())),
		groupBy: 'unit'
	});
	const parsed = await parseResultsQuery(app, params);
	const allUnits = (await units.list(app.db)).filter((u) => !visible || visible.has(u.code));
	const base = {
		locale: locals.locale,
		m: (locals.locale === 'en' ? en : vi).dashboard,
		surveys,
		units: allUnits.map((u) => ({
			code: u.code,
			name: locals.locale === 'en' ? u.nameEn : u.nameVi
		})),
		selected: Object.fromEntries(params)
	};
	if (!parsed.ok)
		return { ...base, problem: t(parsed.problem.message), results: null, labels: {}, trail: [] };

	const found = await results.forUnit(app.db, app.surveys, parsed.query, { full: true });
	const def = app.surveys.current(parsed.query.surveyId)!.definition;
	const name = (u: units.Unit) => (locals.locale === 'en' ? u.nameEn : u.nameVi);
	const unitNames = new Map(allUnits.map((u) => [u.code, name(u)]));
	return {
		...base,
		problem: null,
		results: found,
		trail: (await units.ancestry(app.db, parsed.query.unitCode))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({
				code: u.code,
				name: name(u)
			})),
		labels: {
			indicators: Object.fromEntries(def.indicators.map((i) => [i.id, i.label[locals.locale]])),
			questions: Object.fromEntries(
				def.sections.flatMap((s) => s.questions).map((q) => [q.id, q.text[locals.locale]])
			),
			units: Object.fromEntries(
				found.groups?.map((g) => [g.key, unitNames.get(g.key) ?? g.key]) ?? []
			)
		}
	};
};
