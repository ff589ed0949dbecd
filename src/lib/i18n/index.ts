import i18next from 'i18next';
import en from './en.json';
import km from './km.json';
import vi from './vi.json';

import { isRespondentLocale, type RespondentLocale } from './locales';

export * from './locales';

// One instance for the process, built synchronously; requests each get a fixed translator.
const instance = i18next.createInstance();
void instance.init({
	// Khmer has the respondent's texts only; anything else falls back to Vietnamese.
	resources: { vi: { translation: vi }, en: { translation: en }, km: { translation: km } },
	lng: 'vi',
	fallbackLng: 'vi',
	initAsync: false,
	interpolation: { escapeValue: false },
	returnNull: false
});

/**
 * Translates a key of vi.json / en.json, filling `{{name}}` placeholders from `params`; with a
 * numeric `count`, English takes `key_one` or `key_other` (Vietnamese has one form).
 */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * The one way to translate, on the server and in components alike: a translator bound to one
 * locale, safe to hand to a single request. Components build it from `data.locale` (the layouts return it); anything
 * else (a missing locale in a test render, say) means Vietnamese.
 */
export function translator(locale: RespondentLocale | string | undefined): Translate {
	const fixed = instance.getFixedT(isRespondentLocale(locale) ? locale : 'vi');
	return (key, params) => String(fixed(key, params ?? {}));
}

/** The items of a list in the dictionaries (`key.0`, `key.1`…), as many as it has. */
export function lines(t: Translate, key: string, params?: Record<string, unknown>): string[] {
	const out: string[] = [];
	for (let i = 0; ; i++) {
		const line = t(`${key}.${i}`, params);
		if (line === `${key}.${i}`) return out;
		out.push(line);
	}
}
