import type { RespondentLocale } from '$lib/i18n/locales';

/** A definition's text in both languages, and Khmer where it has been translated. */
export interface Texts {
	vi: string;
	en: string;
	km?: string;
}

/** A text in the respondent's language; a Khmer text not yet translated shows in Vietnamese. */
export function textIn(text: Texts, locale: RespondentLocale): string {
	return locale === 'km' ? (text.km ?? text.vi) : text[locale];
}
