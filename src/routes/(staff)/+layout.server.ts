import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import type { LayoutServerLoad } from './$types';

// Navigation labels only: every staff page checks the session itself in its own load.
export const load: LayoutServerLoad = ({ locals }) => ({
	nav: (locals.locale === 'en' ? en : vi).staffNav,
	signedIn: locals.user !== null
});
