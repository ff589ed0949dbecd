import { translator } from '$lib/i18n';
import { localDate, quarterOf } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, requireRequestedUnit, unitsInScope } from '$lib/server/auth';
import { pageNumber } from '$lib/server/follow-up';
import * as followUp from '$lib/server/follow-up';
import { rangeFromParams } from '$lib/server/results';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	const params = url.searchParams;
	const unit = await requireRequestedUnit(app.db, user, url);
	const dueDays = app.config.FOLLOW_UP_DAYS;
	const t = translator(locals.locale);
	const view = followUp.inboxViews.find((v) => v === params.get('view')) ?? 'open';
	const page = pageNumber(params.get('page'));
	const period = params.get('period') ?? quarterOf(localDate(new Date()));
	const range = rangeFromParams(new URLSearchParams({ period }));
	const [found, report, all] = await Promise.all([
		followUp.inbox(app.db, { unitCode: unit, view, dueDays, page }),
		range ? followUp.resolution(app.db, unit, range, dueDays) : [],
		units.list(app.db)
	]);
	const visible = await unitsInScope(app.db, user);
	const name = (code: string) => {
		const u = all.find((x) => x.code === code);
		return u ? (locals.locale === 'en' ? u.nameEn : u.nameVi) : code;
	};
	return {
		locale: locals.locale,
		dueDays,
		unit,
		view,
		views: followUp.inboxViews,
		page,
		pages: Math.max(1, Math.ceil(found.total / followUp.INBOX_PAGE)),
		total: found.total,
		rows: found.rows.map((c) => ({
			id: c.id,
			openedAt: localDate(new Date(c.openedAt)),
			dueAt: localDate(new Date(c.dueAt)),
			overdue: c.overdue,
			status: c.status,
			unitName: locals.locale === 'en' ? c.unitNameEn : c.unitNameVi,
			comment: c.comment,
			hasContact: c.hasContact
		})),
		period,
		periodProblem: range ? null : t('cases.periodInvalid'),
		report: report.map((r) => ({ ...r, name: name(r.unitCode), own: r.unitCode === unit })),
		units: all
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({ code: u.code, name: locals.locale === 'en' ? u.nameEn : u.nameVi }))
	};
};
