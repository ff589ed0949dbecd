import { useApp } from '$lib/server/app';
import type { PageServerLoad } from './$types';

/** How every figure is made (ARCHITECTURE §5), with each survey's own basis. Public. */
export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	const locale = locals.locale;
	setHeaders({ 'Cache-Control': 'public, max-age=600' });
	return {
		locale,
		surveys: useApp()
			.surveys.list()
			.map(({ definition: d }) => ({
				id: d.id,
				title: d.title[locale],
				basis: d.basis,
				indicators: d.indicators.map((i) => ({
					id: i.id,
					label: i.label[locale],
					kind: i.kind,
					target: i.target ?? null
				}))
			}))
	};
};
