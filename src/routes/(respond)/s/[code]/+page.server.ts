import { error, fail, redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import { answersFromForm } from '$lib/survey/answers';
import { surveyView } from '$lib/survey/view';
import { useApp } from '$lib/server/app';
import { cachedTouchpoint } from '$lib/server/ingest';
import { log } from '$lib/server/log';
import * as responses from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

async function openTouchpoint(code: string, locale: 'vi' | 'en') {
	const app = useApp();
	const touchpoint = code.length <= 64 ? await cachedTouchpoint(app, code) : undefined;
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, translator(locale)('survey.notFound'));
	if (!touchpoint.active) error(410, translator(locale)('survey.closed'));
	const version = app.surveys.current(touchpoint.surveyId);
	if (!version) error(404, translator(locale)('survey.notFound'));
	return { app, touchpoint, version };
}

function messages(locale: 'vi' | 'en') {
	const m = locale === 'en' ? en : vi;
	return { survey: m.survey, lang: m.lang, scale: m.scale };
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const { version } = await openTouchpoint(params.code, locals.locale);
	const m = messages(locals.locale);
	return {
		locale: locals.locale,
		m,
		survey: surveyView(version.definition, locals.locale, m.scale)
	};
};

export const actions: Actions = {
	default: async ({ params, request, locals, getClientAddress }) => {
		const { app, touchpoint, version } = await openTouchpoint(params.code, locals.locale);
		const t = translator(locals.locale);
		const form = await request.formData();
		const entries = [...form].filter((e): e is [string, string] => typeof e[1] === 'string');
		const values: Record<string, string[]> = {};
		for (const [k, v] of entries) values[k] = [...(values[k] ?? []), v];
		if (!app.limits.qr.hit(getClientAddress())) {
			return fail(429, { values, errors: {}, formError: t('survey.tooMany') });
		}
		let result;
		try {
			result = await responses.store(app.db, app.surveys, {
				id: crypto.randomUUID(),
				touchpoint,
				reportedAt: null,
				receivedAt: new Date(),
				locale: locals.locale,
				answers: answersFromForm(version.definition, entries)
			});
		} catch (e) {
			log.error('could not store a QR response', { error: e });
			return fail(503, { values, errors: {}, formError: t('survey.unavailable') });
		}
		if (result.status === 'invalid') {
			const errors: Record<string, string> = {};
			for (const e of result.errors) errors[e.question] ??= t(`errors.${e.code}`, e.params);
			return fail(422, { values, errors, formError: null });
		}
		redirect(303, `/s/${params.code}/thanks`);
	}
};
