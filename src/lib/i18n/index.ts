import i18next from 'i18next';
import en from './en.json';
import vi from './vi.json';

export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];

export function isLocale(value: unknown): value is Locale {
	return value === 'vi' || value === 'en';
}

// One instance for the process, built synchronously; requests each get a fixed translator.
const instance = i18next.createInstance();
void instance.init({
	resources: { vi: { translation: vi }, en: { translation: en } },
	lng: 'vi',
	fallbackLng: 'vi',
	initAsync: false,
	interpolation: { escapeValue: false },
	returnNull: false
});

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A translator bound to one locale, safe to hand to a single request. */
export function translator(locale: Locale): Translate {
	const fixed = instance.getFixedT(locale);
	return (key, params) => String(fixed(key, params ?? {}));
}
