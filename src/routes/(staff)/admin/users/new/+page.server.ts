import { fail } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { createAccount, requireAccess, emailTaken } from '$lib/server/auth';
import { readUserForm, unitChoices, valuesOf } from '../user-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	return { units: await unitChoices(useApp().db, locals.locale) };
};

export const actions: Actions = {
	default: async ({ locals, url, request, getClientAddress }) => {
		const admin = requireAccess(locals, url, 'admin');
		const { db } = useApp();
		const t = translator(locals.locale);
		const values = valuesOf(await request.formData());
		const read = await readUserForm(db, values, t, true);
		if (!read.ok) return fail(400, { values, errors: read.errors });
		const taken = { values, errors: { email: t('users.errors.emailTaken') } };
		if (await emailTaken(db, read.email)) return fail(400, taken);
		const act = { actor: { id: admin.id, email: admin.email }, client: getClientAddress() };
		try {
			const { id, password } = await createAccount(db, act, read);
			// The temporary password is in this one answer and nowhere else.
			return { created: { id, email: read.email, password } };
		} catch (error) {
			// Two administrators creating the same address at once: the unique index decides.
			if ((error as { code?: string }).code === '23505') return fail(400, taken);
			throw error;
		}
	}
};
