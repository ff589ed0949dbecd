import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';
import { openRelease } from './release.server';

export const load: PageServerLoad = async ({ url, locals, setHeaders }) => {
	const { months, month, surveys, def, root, units, found } = await openRelease(url, locals.locale);
	const locale = locals.locale;
	const name = new Map(units.map((u) => [u.code, locale === 'en' ? u.nameEn : u.nameVi]));
	setHeaders({ 'Cache-Control': 'public, max-age=600' });
	return {
		locale,
		months,
		month,
		surveys: surveys.map((d) => ({ id: d.id, title: d.title[locale] })),
		survey: def.id,
		labels: Object.fromEntries(def.indicators.map((i) => [i.id, i.label[locale]])),
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
