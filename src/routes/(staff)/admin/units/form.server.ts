import { translator } from '$lib/i18n';

/** The text fields of a posted form; files and repeated names aside. */
export async function textFields(request: Request): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const [name, value] of await request.formData())
		if (typeof value === 'string' && !(name in out)) out[name] = value;
	return out;
}

/** Error keys → messages in the page's language. */
export function say(locale: App.Locals['locale'], errors: Record<string, string>) {
	const t = translator(locale);
	const invalid = t('units.errors.invalid');
	return Object.fromEntries(
		Object.entries(errors).map(([f, k]) => [f, t(`units.errors.${k}`, { defaultValue: invalid })])
	) as Record<string, string>;
}
