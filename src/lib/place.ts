/** A name in the languages the unit tree keeps. */
export interface UnitNames {
	vi: string;
	en: string;
}

/** Where a survey is taken, as citizens are told it: the office and, above it, its province. */
export interface Place {
	office: UnitNames;
	/** The root of the office's tree; null when the office is the root itself. */
	province: UnitNames | null;
}

/** A unit's name in a respondent's language; Khmer readers get the Vietnamese name, as on the signs. */
export const nameIn = (names: UnitNames, locale: string) => (locale === 'en' ? names.en : names.vi);
