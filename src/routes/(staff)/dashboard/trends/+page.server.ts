import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { requireAccess, requireUnitInScope, scopeRoot, unitsInScope } from '$lib/server/auth';
import * as results from '$lib/server/results';
import { parseResultsQuery } from '$lib/server/results';
import * as units from '$lib/server/units';
import { localDate } from '$lib/survey/periods';
import type { PageServerLoad } from './$types';

const spans = [12, 24] as const;

/** The first and last day of the `count` months ending with this month, in Viet Nam. */
function lastMonths(count: number, today = localDate(new Date())) {
	const [y, m] = today.split('-').map(Number) as [number, number];
	const first = y * 12 + (m - 1) - (count - 1);
	const from = `${Math.floor(first / 12)}-${String((first % 12) + 1).padStart(2, '0')}-01`;
	const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return { from, to: `${today.slice(0, 7)}-${String(last).padStart(2, '0')}` };
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	const t = translator(locals.locale);
	const unit = url.searchParams.get('unit') || scopeRoot(user) || 'AG';
	await requireUnitInScope(app.db, user, unit);
	const visible = await unitsInScope(app.db, user);
	const surveys = app.surveys.list().map((v) => v.definition);
	const surveyId = url.searchParams.get('survey') || surveys[0]?.id || '';
	const askedSpan = Number(url.searchParams.get('months'));
	const months = spans.includes(askedSpan as 12 | 24) ? askedSpan : 12;
	const range = lastMonths(months);
	const parsed = await parseResultsQuery(
		app,
		new URLSearchParams({
			survey: surveyId,
			unit,
			from: range.from,
			to: range.to,
			groupBy: 'month'
		})
	);
	const base = {
		locale: locals.locale,
		surveys: surveys.map((d) => ({ id: d.id, title: d.title[locals.locale] })),
		units: (await units.list(app.db))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({ code: u.code, name: locals.locale === 'en' ? u.nameEn : u.nameVi })),
		selected: { survey: surveyId, unit, months }
	};
	if (!parsed.ok) return { ...base, problem: t(parsed.problem.message), series: null };
	const def = app.surveys.current(surveyId)!.definition;
	const askedIndicator = url.searchParams.get('indicator');
	const indicator =
		def.indicators.find((i) => i.id === askedIndicator) ??
		def.indicators.find((i) => i.kind !== 'mean_of_item_rates') ??
		def.indicators[0];
	const found = await results.forUnit(app.db, app.surveys, parsed.query, { full: true });
	return {
		...base,
		problem: null,
		indicators: def.indicators.map((i) => ({ id: i.id, label: i.label[locals.locale] })),
		indicator: indicator?.id ?? '',
		series: {
			label: indicator?.label[locals.locale] ?? '',
			points: (found.groups ?? []).map((g) => {
				const r = g.indicators.find((i) => i.id === indicator?.id);
				return {
					month: g.key,
					n: r?.n ?? 0,
					rate: r?.rate ?? null,
					ciLow: r?.ciLow ?? null,
					ciHigh: r?.ciHigh ?? null,
					target: r?.target ?? null,
					status: r?.status ?? null
				};
			})
		}
	};
};
