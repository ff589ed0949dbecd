import { error, fail, redirect } from '@sveltejs/kit';
import { isLocale, isRespondentLocale, translator } from '$lib/i18n';
import { textIn } from '$lib/survey/in-language';
import { scaleLabels } from '$lib/components/survey/scale-labels';
import { visibleQuestionIds } from '$lib/survey/answers';
import { surveyView } from '$lib/survey/view';
import { useApp } from '$lib/server/app';
import { rememberChoice } from '$lib/server/http';
import {
	admit,
	inLanguage,
	openQrTouchpoint,
	readSurveyForm,
	type FormState
} from '$lib/server/responses';
import { receiptTokens } from '$lib/server/touchpoints';
import { placeOf } from '$lib/server/units';
import * as responses from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url, getClientAddress }) => {
	const app = useApp();
	const { touchpoint, version } = await openQrTouchpoint(app, params.code, locals.locale);
	const { locale, languages, definition } = await inLanguage(app, version.definition, locals);
	const token = url.searchParams.get('t');
	const tokenState = token ? await receiptTokens.stateOf(app.db, touchpoint.id, token) : null;
	const t = translator(locale);
	// A wrong receipt code counts like a submission: guessing codes by opening links is limited too.
	if (tokenState === 'unknown' && !admit(app, getClientAddress(), touchpoint.code).ok)
		error(429, t('survey.tooMany'));
	return {
		// The office's name is a courtesy: a database down for a moment must not hide the form.
		place: (await placeOf(app.db, touchpoint.unitCode).catch(() => undefined)) ?? null,
		// The page's language may be Khmer, which the layout's staff-side locale never is.
		locale,
		languages,
		survey: surveyView(definition, locale, scaleLabels(t)),
		contactPurpose: definition.contact ? textIn(definition.contact.purpose, locale) : null,
		// Post back without ?lang= (a switch must stick) but with the receipt token, if any.
		action: token ? `?t=${encodeURIComponent(token)}` : url.pathname,
		visible: [...visibleQuestionIds(version.definition, {})],
		blocked:
			tokenState === 'used'
				? t('survey.tokenUsed')
				: tokenState === 'unknown'
					? t('survey.tokenUnknown')
					: null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { params, request, locals, url, cookies, getClientAddress } = event;
		const app = useApp();
		const form = readSurveyForm(await request.formData());
		const { values } = form;
		const keep = (extra: Partial<FormState> = {}): FormState => ({
			values,
			errors: {},
			formError: null,
			notice: null,
			contact: form.contact,
			...extra
		});

		// Switching language or text size re-renders the page with the answers given so far.
		if (isRespondentLocale(form.lang)) {
			locals.respondentLocale = form.lang;
			if (isLocale(form.lang)) locals.locale = form.lang;
			rememberChoice(cookies, 'lang', form.lang);
			return keep();
		}
		if (form.display === 'large' || form.display === 'normal') {
			locals.display = form.display;
			rememberChoice(cookies, 'display', form.display);
			return keep();
		}

		const { version } = await openQrTouchpoint(app, params.code, locals.locale);
		const { locale } = await inLanguage(app, version.definition, locals);
		const outcome = await responses.submitQrForm(app, {
			code: params.code,
			form,
			locale,
			client: getClientAddress(),
			request,
			token: url.searchParams.get('t')
		});
		if (outcome.kind === 'honeypot') redirect(303, `/s/${params.code}/thanks`);
		if (outcome.kind === 'thanks')
			redirect(303, `/s/${params.code}/thanks${outcome.withdraw ? `?r=${outcome.withdraw}` : ''}`);
		const state = keep(outcome.state);
		return outcome.status ? fail(outcome.status, state) : state;
	}
};
