import { z } from 'zod';
import { useApp } from '$lib/server/app';
import { cachedTouchpoint, contacts, inLanguage } from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

// The response id (a random UUID) is what lets the respondent, and only them, withdraw consent.
const responseId = z.uuid();

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const app = useApp();
	const r = responseId.safeParse(url.searchParams.get('r'));
	// Thanked in the language the survey was answered in (Khmer where the survey offers it).
	const touchpoint = params.code.length <= 64 ? await cachedTouchpoint(app, params.code) : null;
	const version = touchpoint ? app.surveys.current(touchpoint.surveyId) : null;
	const locale = version
		? (await inLanguage(app, version.definition, locals)).locale
		: locals.locale;
	return {
		locale,
		code: params.code,
		withdrawable: r.success && (await contacts.has(app.db, r.data)) ? r.data : null
	};
};

export const actions: Actions = {
	default: async ({ url }) => {
		const r = responseId.safeParse(url.searchParams.get('r'));
		if (r.success) await contacts.withdraw(useApp().db, r.data);
		return { withdrawn: true };
	}
};
