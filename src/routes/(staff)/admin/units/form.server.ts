import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';

/** The text fields of a posted form; files and repeated names aside. */
export async function textFields(request: Request): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const [name, value] of await request.formData())
		if (typeof value === 'string' && !(name in out)) out[name] = value;
	return out;
}

export const messages = (locale: App.Locals['locale']) => (locale === 'en' ? en : vi).units;

/** Error keys → messages in the page's language. */
export function say(locale: App.Locals['locale'], errors: Record<string, string>) {
	const m = messages(locale).errors;
	const byKey: Record<string, string> = m;
	return Object.fromEntries(
		Object.entries(errors).map(([f, k]) => [f, byKey[k] ?? m.invalid])
	) as Record<string, string>;
}
