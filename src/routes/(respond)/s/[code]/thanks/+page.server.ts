import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => ({
	code: params.code,
	locale: locals.locale,
	m: (locals.locale === 'en' ? en : vi).thanks
});
