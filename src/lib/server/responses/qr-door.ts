import { translator, type RespondentLocale } from '$lib/i18n';
import { answersFromForm, visibleQuestionIds } from '$lib/survey/answers';
import { checkContact } from '$lib/survey/contact';
import type { App } from '../app';
import { log } from '../log';
import { receiptTokens } from '../touchpoints';
import { admit } from './admission';
import { fingerprint, openQrTouchpoint, readSurveyForm, type FormState } from './qr-form';
import * as responses from './store';

/** What the QR form's post comes to: the thank-you page, or the form again with what to say. */
export type QrOutcome =
	| { kind: 'thanks'; withdraw: string | null }
	| { kind: 'honeypot' }
	| { kind: 'again'; status: number | null; state: Partial<FormState> };

/**
 * Checks and stores one QR form post (`POST /s/{code}`), the door the JSON API's `submit` is to
 * kiosks: a follow-up question the respondent has not seen yet is shown first, the client is
 * admitted by rate, the receipt code and the contact details are checked, and nothing is written
 * unless every check passes.
 */
export async function submitQrForm(
	app: App,
	input: {
		code: string;
		form: ReturnType<typeof readSurveyForm>;
		locale: RespondentLocale;
		client: string;
		request: Request;
		token: string | null;
	}
): Promise<QrOutcome> {
	const { form, locale, client, token } = input;
	const { touchpoint, version } = await openQrTouchpoint(app, input.code, locale);
	const t = translator(locale);
	if (form.honeypotFilled) {
		log.info('honeypot filled; response not stored', { touchpoint: touchpoint.code });
		return { kind: 'honeypot' };
	}
	const again = (status: number | null, state: Partial<FormState>): QrOutcome => ({
		kind: 'again',
		status,
		state
	});
	const answers = answersFromForm(version.definition, form.entries);
	const visible = () => [...visibleQuestionIds(version.definition, answers)];
	// Without JavaScript a follow-up question appears only now: show it before storing.
	if (form.shown) {
		const before = form.shown;
		const now = visible();
		if (now.some((id) => !before.has(id)))
			return again(null, { notice: t('survey.moreQuestions'), visible: now });
	}

	// Admitted before the receipt code is looked at, so guessing codes uses up the allowance.
	const admission = admit(app, client, touchpoint.code);
	if (!admission.ok) {
		const message = admission.window === 'hour' ? t('survey.tooManyHour') : t('survey.tooMany');
		return again(429, { formError: message });
	}
	if (token && (await receiptTokens.stateOf(app.db, touchpoint.id, token)) === 'unknown') {
		return again(422, { formError: t('survey.tokenUnknown') });
	}
	// Contact details only where the survey offers them, and only with consent.
	const offered = version.definition.contact;
	const contact = offered ? checkContact(form.contact) : { ok: true as const, contact: null };
	if (!contact.ok) {
		const errors: Record<string, string> = {};
		for (const [field, code] of Object.entries(contact.errors))
			errors[`_contact_${field}`] = t(`errors.${code}`);
		return again(422, { errors, visible: visible() });
	}
	let result;
	try {
		result = await responses.store(app.db, app.surveys, {
			id: crypto.randomUUID(),
			touchpoint,
			reportedAt: null,
			receivedAt: new Date(),
			locale,
			answers,
			clientHash: await fingerprint(app, client, input.request),
			receiptToken: token,
			contact:
				contact.contact && offered ? { ...contact.contact, purpose: offered.purpose.vi } : null
		});
	} catch (e) {
		log.error('could not store a QR response', { error: e });
		return again(503, { formError: t('survey.unavailable') });
	}
	if (result.status === 'invalid') {
		const errors: Record<string, string> = {};
		for (const e of result.errors) errors[e.question] ??= t(`errors.${e.code}`, e.params);
		return again(422, { errors, visible: visible() });
	}
	if (result.status === 'token_used') return again(409, { formError: t('survey.tokenUsed') });
	// The response id is the respondent's own key to withdraw the contact details they left.
	return {
		kind: 'thanks',
		withdraw: contact.contact && result.status === 'stored' ? result.id : null
	};
}
