import { z } from 'zod';
import { useApp } from '$lib/server/app';
import { contacts } from '$lib/server/responses';
import type { Actions, PageServerLoad } from './$types';

// The response id (a random UUID) is what lets the respondent, and only them, withdraw consent.
const responseId = z.uuid();

export const load: PageServerLoad = async ({ params, url }) => {
	const r = responseId.safeParse(url.searchParams.get('r'));
	return {
		code: params.code,
		withdrawable: r.success && (await contacts.has(useApp().db, r.data)) ? r.data : null
	};
};

export const actions: Actions = {
	default: async ({ url }) => {
		const r = responseId.safeParse(url.searchParams.get('r'));
		if (r.success) await contacts.withdraw(useApp().db, r.data);
		return { withdrawn: true };
	}
};
