import { error, fail } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import * as accounts from '$lib/server/auth';
import { requireAccess, getUser } from '$lib/server/auth';
import { readUserForm, unitChoices, valuesOf } from '../user-form.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The administrator acting and the account acted on; an unknown id is a 404. */
async function target(event: RequestEvent) {
	const admin = requireAccess(event.locals, event.url, 'admin');
	const { db } = useApp();
	const user = event.params.id.length <= 64 ? await getUser(db, event.params.id) : undefined;
	if (!user) error(404, 'Không tìm thấy trang / Not found');
	const act = { actor: { id: admin.id, email: admin.email }, client: event.getClientAddress() };
	return { db, user, act, self: admin.id === user.id, t: translator(event.locals.locale) };
}

export const load: PageServerLoad = async (event) => {
	const { db, user, self } = await target(event);
	return {
		units: await unitChoices(db, event.locals.locale),
		self,
		user: {
			id: user.id,
			email: user.email,
			name: user.name ?? '',
			role: user.role,
			unitCode: user.unitCode ?? '',
			disabled: user.disabledAt !== null,
			mfa: user.mfaEnrolled,
			mustChangePassword: user.mustChangePassword
		}
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { db, user, act, self, t } = await target(event);
		const values = valuesOf(await event.request.formData());
		const read = await readUserForm(db, values, t, false);
		if (!read.ok) return fail(400, { values, errors: read.errors });
		// Administrators cannot demote themselves: the province must never be left without one.
		if (self && read.role !== 'admin')
			return fail(400, { values, errors: { role: t('users.errors.demoteSelf') } });
		await accounts.changeAccount(db, act, user, read);
		return { saved: true };
	},
	disable: async (event) => {
		const { db, user, act, self, t } = await target(event);
		if (self) return fail(400, { message: t('users.errors.disableSelf') });
		if (user.disabledAt === null) await accounts.disableAccount(db, act, user);
		return { saved: true };
	},
	enable: async (event) => {
		const { db, user, act } = await target(event);
		if (user.disabledAt !== null) await accounts.enableAccount(db, act, user);
		return { saved: true };
	},
	reset: async (event) => {
		const { db, user, act, self, t } = await target(event);
		// One's own password is changed on the account page, with the current one.
		if (self) return fail(400, { message: t('users.errors.resetSelf') });
		const password = await accounts.resetPassword(db, act, user);
		return { reset: { email: user.email, password } };
	}
};
