import { error } from '@sveltejs/kit';
import { translator, type Locale, type RespondentLocale } from '$lib/i18n';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { App } from '../app';
import { clientHash } from './fingerprint';
import { cachedTouchpoint } from './admission';
import { translations } from '../surveys';

/** The touchpoint behind a public QR link, or the 404/410 page a citizen should see. */
export async function openQrTouchpoint(app: App, code: string, locale: RespondentLocale) {
	const t = translator(locale);
	const touchpoint = code.length <= 64 ? await cachedTouchpoint(app, code) : undefined;
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, t('survey.notFound'));
	if (!touchpoint.active) error(410, t('survey.closed'));
	const version = app.surveys.current(touchpoint.surveyId);
	if (!version) error(404, t('survey.notFound'));
	return { touchpoint, version };
}

/** The client's fingerprint of the day: never the address itself. */
export function fingerprint(app: App, address: string, request: Request) {
	return clientHash(app.db, app.saltCache, {
		address,
		userAgent: request.headers.get('user-agent') ?? ''
	});
}

/** What a re-rendered form carries back: the answers so far and what to tell the respondent. */
export interface FormState {
	values: Record<string, string[]>;
	errors: Record<string, string>;
	formError: string | null;
	notice: string | null;
	visible?: string[];
	contact?: { name: string; phone: string; consent: boolean };
}

/** The survey form as posted. Page controls have names starting with _, which no question id can. */
export function readSurveyForm(form: FormData) {
	const entries = [...form].filter((e): e is [string, string] => typeof e[1] === 'string');
	const values: Record<string, string[]> = {};
	// Own keys only: a field named `constructor` or `toString` must not find Object's methods.
	for (const [k, v] of entries)
		if (!k.startsWith('_')) values[k] = [...(Object.hasOwn(values, k) ? values[k]! : []), v];
	const text = (name: string, max: number) => String(form.get(name) ?? '').slice(0, max);
	const shown = form.get('_shown');
	return {
		entries,
		values,
		lang: form.get('_lang'),
		display: form.get('_display'),
		honeypotFilled: text('_website', 1) !== '',
		shown: typeof shown === 'string' ? new Set(shown.split(' ')) : null,
		contact: {
			name: text('_contact_name', 200),
			phone: text('_contact_phone', 40),
			consent: form.get('_contact_consent') === 'yes'
		}
	};
}

/**
 * The survey as this citizen answers it: in the language they asked for when the version offers
 * it (Khmer only once complete and reviewed), else in the page's language. Sets the page's
 * `<html lang>` to match.
 */
export async function inLanguage(
	app: App,
	def: SurveyDefinition,
	locals: { locale: Locale; respondentLocale?: RespondentLocale; lang?: RespondentLocale }
) {
	const offer = await translations.forRespondents(app.db, def);
	const asked = locals.respondentLocale ?? locals.locale;
	const locale: RespondentLocale = offer.languages.includes(asked) ? asked : locals.locale;
	locals.lang = locale;
	return { locale, languages: offer.languages, definition: offer.definition };
}
