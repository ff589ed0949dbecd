import { translator } from '$lib/i18n';
import { localDate, quarterOf } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, requireRequestedUnit, unitsInScope } from '$lib/server/auth';
import * as comments from '$lib/server/follow-up';
import { rangeFromParams } from '$lib/server/results';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	const params = url.searchParams;
	const unit = await requireRequestedUnit(app.db, user, url);
	const t = translator(locals.locale);
	const visible = await unitsInScope(app.db, user);
	const surveyId = params.get('survey') || '';
	const page = comments.pageNumber(params.get('page'));
	const filter = {
		unit,
		period: params.get('period') ?? (params.has('from') ? '' : quarterOf(localDate(new Date()))),
		from: params.get('from') ?? '',
		to: params.get('to') ?? '',
		survey: surveyId,
		low: params.get('low') === '1',
		q: (params.get('q') ?? '').slice(0, 200)
	};
	const range = rangeFromParams(params);
	const problem = !range
		? t('comments.periodInvalid')
		: surveyId && !app.surveys.current(surveyId)
			? t('comments.surveyUnknown')
			: null;
	const found =
		range && !problem
			? await comments.list(app.db, {
					unitCode: unit,
					range,
					surveyId: surveyId || undefined,
					lowOnly: filter.low,
					search: filter.q,
					page
				})
			: { rows: [], total: 0 };
	return {
		locale: locals.locale,
		filter,
		problem,
		page,
		pages: Math.max(1, Math.ceil(found.total / comments.PAGE_SIZE)),
		total: found.total,
		rows: found.rows.map((r) => ({
			...r,
			unitName: locals.locale === 'en' ? r.unitNameEn : r.unitNameVi,
			channelName: t(`channels.${r.channel}`),
			survey: app.surveys.current(r.surveyId)?.definition.title[locals.locale] ?? r.surveyId
		})),
		surveys: app.surveys
			.list()
			.map((v) => ({ id: v.definition.id, title: v.definition.title[locals.locale] })),
		units: (await units.list(app.db))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({ code: u.code, name: locals.locale === 'en' ? u.nameEn : u.nameVi }))
	};
};
