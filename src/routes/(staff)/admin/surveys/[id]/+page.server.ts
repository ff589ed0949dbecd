import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { requireAccess, inScope } from '$lib/server/auth';
import * as units from '$lib/server/units';
import { targets } from '$lib/server/results';
import { translations } from '$lib/server/surveys';
import { importTexts, review } from './texts.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The admin guard, then the survey from the path: an unknown id is a 404 like any other. */
function open({ locals, url, params }: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	const user = requireAccess(locals, url, 'admin');
	const app = useApp();
	const survey = params.id.length <= 100 ? app.surveys.current(params.id) : undefined;
	if (!survey) error(404, 'Không tìm thấy trang / Not found');
	return { user, app, def: survey.definition };
}

async function fields(request: Request): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const [k, v] of await request.formData()) if (typeof v === 'string') out[k] = v;
	return out;
}

export const load: PageServerLoad = async (event) => {
	const { app, def } = open(event);
	const locale = event.locals.locale;
	const label = new Map(def.indicators.map((i) => [i.id, i.label[locale]]));
	return {
		survey: { id: def.id, title: def.title[locale], version: def.version },
		indicators: def.indicators.map((i) => ({
			id: i.id,
			label: i.label[locale],
			kind: i.kind,
			target: i.target ?? null
		})),
		overrides: (await targets.list(app.db, def.id)).map((o) => ({
			...o,
			label: label.get(o.indicatorId) ?? o.indicatorId
		})),
		units: (await units.list(app.db)).map((u) => ({
			code: u.code,
			name: locale === 'en' ? u.nameEn : u.nameVi
		})),
		khmer: await translations.khmerState(app.db, def),
		saved: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	add: async (event) => {
		const { user, app, def } = open(event);
		const values = await fields(event.request);
		const by = { actor: { id: user.id, email: user.email }, client: event.getClientAddress() };
		const t = translator(event.locals.locale);
		// The unit comes from the client: only one in the admin's scope is taken.
		const unit = (values.unit ?? '').trim();
		if (unit.length > 64 || !(await inScope(app.db, user, unit)))
			return fail(400, {
				action: 'add',
				values,
				errors: { unit: t('surveysAdmin.errors.unit_unknown') }
			});
		const outcome = await targets.add(app.db, app.surveys, by, def.id, values);
		if (!outcome.ok) {
			const invalid = t('surveysAdmin.errors.invalid');
			const errors = Object.fromEntries(
				Object.entries(outcome.errors).map(([f, k]) => [
					f,
					t(`surveysAdmin.errors.${k}`, { defaultValue: invalid })
				])
			);
			return fail(400, { action: 'add', values, errors });
		}
		redirect(303, `/admin/surveys/${encodeURIComponent(def.id)}?done=saved`);
	},

	remove: async (event) => {
		const { user, app, def } = open(event);
		const id = z.coerce
			.number()
			.int()
			.positive()
			.max(2 ** 31 - 1)
			.safeParse((await fields(event.request)).id);
		const by = { actor: { id: user.id, email: user.email }, client: event.getClientAddress() };
		if (!id.success || !(await targets.remove(app.db, by, def.id, id.data))) {
			const t = translator(event.locals.locale);
			const errors = { form: t('surveysAdmin.errors.not_found') };
			return fail(400, { action: 'remove', values: {}, errors });
		}
		redirect(303, `/admin/surveys/${encodeURIComponent(def.id)}?done=removed`);
	},

	texts: async (event) => importTexts(context(event)),
	reviewed: async (event) => review(context(event), true),
	unreviewed: async (event) => review(context(event), false)
};

function context(event: RequestEvent) {
	const { user, app, def } = open(event);
	return {
		user,
		app,
		def,
		request: event.request,
		client: event.getClientAddress(),
		locale: event.locals.locale
	};
}
