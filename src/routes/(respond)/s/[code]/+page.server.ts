import { error, fail, redirect } from '@sveltejs/kit';
import { isLocale, translator } from '$lib/i18n';
import { scaleLabels } from '$lib/components/survey/scale-labels';
import { answersFromForm, visibleQuestionIds } from '$lib/survey/answers';
import { checkContact } from '$lib/survey/contact';
import { surveyView } from '$lib/survey/view';
import { useApp } from '$lib/server/app';
import {
	admit,
	fingerprint,
	openQrTouchpoint,
	readSurveyForm,
	rememberChoice,
	type FormState
} from '$lib/server/responses';
import { log } from '$lib/server/log';
import { receiptTokens } from '$lib/server/touchpoints';
import * as responses from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url, getClientAddress }) => {
	const app = useApp();
	const { touchpoint, version } = await openQrTouchpoint(app, params.code, locals.locale);
	const token = url.searchParams.get('t');
	const tokenState = token ? await receiptTokens.stateOf(app.db, touchpoint.id, token) : null;
	const t = translator(locals.locale);
	// A wrong receipt code counts like a submission: guessing codes by opening links is limited too.
	if (tokenState === 'unknown' && !admit(app, getClientAddress(), touchpoint.code).ok)
		error(429, t('survey.tooMany'));
	return {
		survey: surveyView(version.definition, locals.locale, scaleLabels(t)),
		contactPurpose: version.definition.contact?.purpose[locals.locale] ?? null,
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
		const { entries, values } = form;
		const keep = (extra: Partial<FormState> = {}): FormState => ({
			values,
			errors: {},
			formError: null,
			notice: null,
			contact: form.contact,
			...extra
		});

		// Switching language or text size re-renders the page with the answers given so far.
		if (isLocale(form.lang)) {
			locals.locale = form.lang;
			rememberChoice(cookies, 'lang', form.lang);
			return keep();
		}
		if (form.display === 'large' || form.display === 'normal') {
			locals.display = form.display;
			rememberChoice(cookies, 'display', form.display);
			return keep();
		}

		const { touchpoint, version } = await openQrTouchpoint(app, params.code, locals.locale);
		const t = translator(locals.locale);
		if (form.honeypotFilled) {
			log.info('honeypot filled; response not stored', { touchpoint: touchpoint.code });
			redirect(303, `/s/${params.code}/thanks`);
		}

		const answers = answersFromForm(version.definition, entries);
		// Without JavaScript a follow-up question appears only now: show it before storing.
		if (form.shown) {
			const before = form.shown;
			const now = visibleQuestionIds(version.definition, answers);
			if ([...now].some((id) => !before.has(id)))
				return keep({ notice: t('survey.moreQuestions'), visible: [...now] });
		}

		// Admitted before the receipt code is looked at, so guessing codes uses up the allowance.
		const client = getClientAddress();
		const admission = admit(app, client, touchpoint.code);
		if (!admission.ok) {
			const message = admission.window === 'hour' ? t('survey.tooManyHour') : t('survey.tooMany');
			return fail(429, keep({ formError: message }));
		}
		const token = url.searchParams.get('t');
		if (token && (await receiptTokens.stateOf(app.db, touchpoint.id, token)) === 'unknown') {
			return fail(422, keep({ formError: t('survey.tokenUnknown') }));
		}
		// Contact details only where the survey offers them, and only with consent.
		const offered = version.definition.contact;
		const contact = offered ? checkContact(form.contact) : { ok: true as const, contact: null };
		if (!contact.ok) {
			const errors: Record<string, string> = {};
			for (const [field, code] of Object.entries(contact.errors))
				errors[`_contact_${field}`] = t(`errors.${code}`);
			return fail(
				422,
				keep({ errors, visible: [...visibleQuestionIds(version.definition, answers)] })
			);
		}
		let result;
		try {
			result = await responses.store(app.db, app.surveys, {
				id: crypto.randomUUID(),
				touchpoint,
				reportedAt: null,
				receivedAt: new Date(),
				locale: locals.locale,
				answers,
				clientHash: await fingerprint(app, client, request),
				receiptToken: token,
				contact:
					contact.contact && offered ? { ...contact.contact, purpose: offered.purpose.vi } : null
			});
		} catch (e) {
			log.error('could not store a QR response', { error: e });
			return fail(503, keep({ formError: t('survey.unavailable') }));
		}
		if (result.status === 'invalid') {
			const errors: Record<string, string> = {};
			for (const e of result.errors) errors[e.question] ??= t(`errors.${e.code}`, e.params);
			return fail(
				422,
				keep({ errors, visible: [...visibleQuestionIds(version.definition, answers)] })
			);
		}
		if (result.status === 'token_used') {
			return fail(409, keep({ formError: t('survey.tokenUsed') }));
		}
		// The response id is the respondent's own key to withdraw the contact details they left.
		const withdrawable = contact.contact && result.status === 'stored' ? `?r=${result.id}` : '';
		redirect(303, `/s/${params.code}/thanks${withdrawable}`);
	}
};
