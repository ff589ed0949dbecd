import { fail, redirect } from '@sveltejs/kit';
import { isLocale, translator } from '$lib/i18n';
import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import { answersFromForm, visibleQuestionIds } from '$lib/survey/answers';
import { checkContact } from '$lib/survey/contact';
import { surveyView } from '$lib/survey/view';
import { useApp } from '$lib/server/app';
import { admit } from '$lib/server/ingest';
import { log } from '$lib/server/log';
import { fingerprint, openQrTouchpoint } from '$lib/server/public-link';
import * as receiptTokens from '$lib/server/receipt-tokens';
import * as responses from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

/** Fields that steer the page rather than answer a question; question ids never start with _. */
const HONEYPOT = '_website';

/** What a re-rendered form carries back: the answers so far and what to tell the respondent. */
interface FormState {
	values: Record<string, string[]>;
	errors: Record<string, string>;
	formError: string | null;
	notice: string | null;
	visible?: string[];
	contact?: { name: string; phone: string; consent: boolean };
}

const messages = (locale: 'vi' | 'en') => {
	const m = locale === 'en' ? en : vi;
	return { survey: m.survey, lang: m.lang, scale: m.scale };
};

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const app = useApp();
	const { touchpoint, version } = await openQrTouchpoint(app, params.code, locals.locale);
	const token = url.searchParams.get('t');
	const tokenState = token ? await receiptTokens.stateOf(app.db, touchpoint.id, token) : null;
	const m = messages(locals.locale);
	return {
		locale: locals.locale,
		m,
		survey: surveyView(version.definition, locals.locale, m.scale),
		contactPurpose: version.definition.contact?.purpose[locals.locale] ?? null,
		// Post back without ?lang= (a switch must stick) but with the receipt token, if any.
		action: token ? `?t=${encodeURIComponent(token)}` : url.pathname,
		visible: [...visibleQuestionIds(version.definition, {})],
		blocked:
			tokenState === 'used'
				? m.survey.tokenUsed
				: tokenState === 'unknown'
					? m.survey.tokenUnknown
					: null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { params, request, locals, url, cookies, getClientAddress } = event;
		const app = useApp();
		const form = await request.formData();
		const entries = [...form].filter((e): e is [string, string] => typeof e[1] === 'string');
		const values: Record<string, string[]> = {};
		for (const [k, v] of entries) if (!k.startsWith('_')) values[k] = [...(values[k] ?? []), v];
		const contactFields = {
			name: String(form.get('_contact_name') ?? '').slice(0, 200),
			phone: String(form.get('_contact_phone') ?? '').slice(0, 40),
			consent: form.get('_contact_consent') === 'yes'
		};
		const keep = (extra: Partial<FormState> = {}): FormState => ({
			values,
			errors: {},
			formError: null,
			notice: null,
			contact: contactFields,
			...extra
		});

		// Switching language or text size re-renders the page with the answers given so far.
		const lang = form.get('_lang');
		if (isLocale(lang)) {
			locals.locale = lang;
			cookies.set('lang', lang, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 31536000 });
			return keep();
		}
		const display = form.get('_display');
		if (display === 'large' || display === 'normal') {
			locals.display = display;
			cookies.set('display', display, {
				path: '/',
				httpOnly: false,
				sameSite: 'lax',
				maxAge: 31536000
			});
			return keep();
		}

		const { touchpoint, version } = await openQrTouchpoint(app, params.code, locals.locale);
		const t = translator(locals.locale);
		if (String(form.get(HONEYPOT) ?? '') !== '') {
			log.info('honeypot filled; response not stored', { touchpoint: touchpoint.code });
			redirect(303, `/s/${params.code}/thanks`);
		}

		const answers = answersFromForm(version.definition, entries);
		// Without JavaScript a follow-up question appears only now: show it before storing.
		const shown = form.get('_shown');
		if (typeof shown === 'string') {
			const before = new Set(shown.split(' '));
			const now = visibleQuestionIds(version.definition, answers);
			if ([...now].some((id) => !before.has(id)))
				return keep({ notice: t('survey.moreQuestions'), visible: [...now] });
		}

		const token = url.searchParams.get('t');
		if (token && (await receiptTokens.stateOf(app.db, touchpoint.id, token)) === 'unknown') {
			return fail(422, keep({ formError: t('survey.tokenUnknown') }));
		}
		const client = getClientAddress();
		const admission = admit(app, client, touchpoint.code);
		if (!admission.ok) {
			const message = admission.window === 'hour' ? t('survey.tooManyHour') : t('survey.tooMany');
			return fail(429, keep({ formError: message }));
		}
		// Contact details only where the survey offers them, and only with consent.
		const offered = version.definition.contact;
		const contact = offered ? checkContact(contactFields) : { ok: true as const, contact: null };
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
