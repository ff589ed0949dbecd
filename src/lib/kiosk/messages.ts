import i18next from 'i18next';
import type { RespondentLocale, Translate } from '$lib/i18n';
import { kiosk as enKiosk, scale as enScale } from '$lib/i18n/en.json';
import { kiosk as kmKiosk, scale as kmScale } from '$lib/i18n/km.json';
import { kiosk as viKiosk, scale as viScale } from '$lib/i18n/vi.json';

// Only the kiosk's part of the dictionaries: named JSON imports keep the rest out of the bundle,
// and `import type` keeps $lib/i18n's own instance (with every dictionary) out as well.
const instance = i18next.createInstance();
void instance.init({
	resources: {
		vi: { translation: { kiosk: viKiosk, scale: viScale } },
		en: { translation: { kiosk: enKiosk, scale: enScale } },
		// Khmer has the citizen's screens only; the staff screens are always in Vietnamese.
		km: { translation: { kiosk: kmKiosk, scale: kmScale } }
	},
	lng: 'vi',
	fallbackLng: 'vi',
	initAsync: false,
	interpolation: { escapeValue: false },
	returnNull: false
});

const translators = new Map<RespondentLocale, Translate>();

/**
 * The kiosk's `translator`: the same `Translate` as $lib/i18n (keys such as `kiosk.welcome`), over the `kiosk`
 * and `scale` sections only. Built once per locale and reused on every render.
 */
export function kioskTranslator(locale: RespondentLocale): Translate {
	const known: RespondentLocale = locale === 'en' || locale === 'km' ? locale : 'vi';
	let t = translators.get(known);
	if (!t) {
		const fixed = instance.getFixedT(known);
		t = (key, params) => String(fixed(key, params ?? {}));
		translators.set(known, t);
	}
	return t;
}

/** The levels of each scale, in order: `t(\`scale.${type}.${level}\`)` is a level's label. */
export const scaleLevels = {
	likert5: Object.keys(viScale.likert5),
	rating3: Object.keys(viScale.rating3)
};
