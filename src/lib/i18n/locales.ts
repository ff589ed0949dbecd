/** The languages of the whole app: staff pages are in Vietnamese or English. */
export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];

export function isLocale(value: unknown): value is Locale {
	return value === 'vi' || value === 'en';
}

/**
 * The languages a citizen may answer in: Khmer too, for An Giang's Khmer communities, on the
 * respondent pages and the kiosk only, and only for a survey whose Khmer texts are complete and
 * reviewed (see server/surveys/translations.ts).
 */
export const respondentLocales = ['vi', 'en', 'km'] as const;
export type RespondentLocale = (typeof respondentLocales)[number];

export function isRespondentLocale(value: unknown): value is RespondentLocale {
	return value === 'vi' || value === 'en' || value === 'km';
}

/** Each language's name in itself, for the buttons that switch to it. */
export const languageNames: Record<RespondentLocale, string> = {
	vi: 'Tiếng Việt',
	en: 'English',
	km: 'ខ្មែរ'
};
