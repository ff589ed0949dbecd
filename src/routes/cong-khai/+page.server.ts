import { translator } from '$lib/i18n';
import { changeOf } from '$lib/survey/compare';
import type { PageServerLoad } from './$types';
import { openRelease } from './release.server';

export const load: PageServerLoad = async ({ url, locals, setHeaders }) => {
	const { months, month, surveys, def, root, units, found, previous } = await openRelease(
		url,
		locals.locale
	);
	const locale = locals.locale;
	const name = new Map(units.map((u) => [u.code, locale === 'en' ? u.nameEn : u.nameVi]));
	// The plan's targets lead the page: every indicator with a target, or the first one when the
	// survey has none (a field survey reports its overall satisfaction).
	const targeted = def.indicators.filter((i) => i.target !== undefined && i.target !== null);
	const headline = (targeted.length ? targeted : def.indicators.slice(0, 1)).map((i) => i.id);
	const before = new Map(previous.indicators.map((i) => [i.id, i]));
	setHeaders({ 'Cache-Control': 'public, max-age=600' });
	return {
		locale,
		months,
		month,
		surveys: surveys.map((d) => ({ id: d.id, title: d.title[locale] })),
		survey: def.id,
		place: { office: { vi: root.nameVi, en: root.nameEn }, province: null },
		labels: Object.fromEntries(def.indicators.map((i) => [i.id, i.label[locale]])),
		headline,
		targets: found.indicators
			.filter((i) => headline.includes(i.id))
			.map((i) => {
				const last = before.get(i.id);
				return { ...i, change: last ? changeOf(i, last) : null };
			}),
		province: {
			code: root.code,
			name: translator(locale)('publicRelease.province'),
			responses: found.responses,
			indicators: found.indicators
		},
		units: (found.groups ?? []).map((g) => ({
			code: g.key,
			name: name.get(g.key) ?? g.key,
			responses: g.responses,
			indicators: g.indicators
		}))
	};
};
