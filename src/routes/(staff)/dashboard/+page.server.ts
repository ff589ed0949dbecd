import { translator } from '$lib/i18n';
import { fields, type Channel } from '$lib/survey/definition';
import { localDate, previousRange, quarterOf } from '$lib/survey/periods';
import type { IndicatorResult } from '$lib/survey/scoring';
import { useApp } from '$lib/server/app';
import { requireAccess, requireUnitAmong, scopeRoot, unitsInScope } from '$lib/server/auth';
import { memoReads } from '$lib/server/db';
import * as results from '$lib/server/results';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

interface ChannelRow {
	channel: Channel;
	name: string;
	responses: number;
	indicator: IndicatorResult;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	// One load asks the same small things (ancestry, subtree, targets) for several figures.
	const db = memoReads(app.db);
	const unit = url.searchParams.get('unit') || scopeRoot(user) || 'AG';
	const visible = await unitsInScope(db, user);
	const known = await units.list(db);
	requireUnitAmong(user, unit, known, visible);
	const t = translator(locals.locale);
	const asked = url.searchParams;
	// The service field narrows the survey list; a survey outside it gives way to the field's first.
	const field = fields.find((f) => f === asked.get('field')) ?? '';
	const surveys = app.surveys
		.list()
		.filter((v) => !field || v.definition.field === field)
		.map((v) => ({ id: v.definition.id, title: v.definition.title[locals.locale] }));
	const askedSurvey = asked.get('survey');
	const survey =
		askedSurvey && (!field || surveys.some((s) => s.id === askedSurvey))
			? askedSurvey
			: (surveys[0]?.id ?? '');
	// A custom span when Period is left empty and dates are given; else a named period.
	const custom = !asked.get('period') && (asked.get('from') || asked.get('to'));
	const params = new URLSearchParams({
		survey,
		unit,
		...(custom
			? { from: asked.get('from') ?? '', to: asked.get('to') ?? '' }
			: { period: asked.get('period') || quarterOf(localDate(new Date())) }),
		groupBy: 'unit'
	});
	const parsed = await results.parseResultsQuery({ db, surveys: app.surveys }, params, known);
	const allUnits = known.filter((u) => !visible || visible.has(u.code));
	const base = {
		locale: locals.locale,
		surveys,
		field,
		fields: fields.map((f) => ({ id: f, name: t(`fields.${f}`) })),
		channelRows: [] as ChannelRow[],
		units: allUnits.map((u) => ({
			code: u.code,
			name: locals.locale === 'en' ? u.nameEn : u.nameVi
		})),
		selected: Object.fromEntries(params)
	};
	if (!parsed.ok)
		return {
			...base,
			problem: t(parsed.problem.message),
			results: null,
			labels: {},
			trail: [],
			previous: null,
			readings: {} as ReturnType<typeof results.readings>,
			league: [],
			indicator: '',
			sort: 'rate' as results.Sort,
			smallN: results.SMALL_N
		};

	const { channels, ...found } = await results.forUnit(db, app.surveys, parsed.query, {
		full: true,
		byChannel: true
	});
	const before = previousRange(params.get('period'), parsed.query.range);
	const previous = await results.forUnit(
		db,
		app.surveys,
		{ ...parsed.query, range: before, groupBy: undefined },
		{ full: true }
	);
	const def = app.surveys.current(parsed.query.surveyId)!.definition;
	const name = (u: units.Unit) => (locals.locale === 'en' ? u.nameEn : u.nameVi);
	const unitNames = new Map(allUnits.map((u) => [u.code, name(u)]));
	const askedIndicator = url.searchParams.get('indicator');
	const indicator = def.indicators.some((i) => i.id === askedIndicator)
		? askedIndicator!
		: (def.indicators[0]?.id ?? '');
	const askedSort = url.searchParams.get('sort') as results.Sort | null;
	const sort: results.Sort = askedSort && results.sorts.includes(askedSort) ? askedSort : 'rate';
	// How kiosk, QR and paper answers compare on the chosen indicator.
	const channelRows: ChannelRow[] = channels.flatMap((one) => {
		const chosen = one.indicators.find((i) => i.id === indicator);
		return chosen
			? [
					{
						channel: one.key,
						name: t(`channels.${one.key}`),
						responses: one.responses,
						indicator: chosen
					}
				]
			: [];
	});
	return {
		...base,
		channelRows,
		problem: null,
		results: found,
		previous: { from: before.from, to: before.to, responses: previous.responses },
		readings: results.readings(found, previous),
		league: results.league(found, indicator, sort, unitNames),
		indicator,
		sort,
		smallN: results.SMALL_N,
		trail: (await units.ancestry(db, parsed.query.unitCode))
			.filter((u) => !visible || visible.has(u.code))
			.map((u) => ({
				code: u.code,
				name: name(u)
			})),
		labels: {
			indicators: Object.fromEntries(def.indicators.map((i) => [i.id, i.label[locals.locale]])),
			sections: def.sections.map((s) => ({
				title: s.title[locals.locale],
				questionIds: s.questions.map((q) => q.id)
			})),
			questions: Object.fromEntries(
				def.sections.flatMap((s) => s.questions).map((q) => [q.id, q.text[locals.locale]])
			),
			units: Object.fromEntries(
				found.groups?.map((g) => [g.key, unitNames.get(g.key) ?? g.key]) ?? []
			)
		}
	};
};
