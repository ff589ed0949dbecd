import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import {
	auditOwnAccount,
	guessLimitMessage,
	homeFor,
	requireFullSession,
	MAX_PASSWORD_LENGTH,
	verifyPassword,
	invalidateUserSessions,
	normaliseEmail,
	passwordHashOf,
	setPassword
} from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

const MIN_PASSWORD_LENGTH = 12;

const fields = z.object({
	current: z.string().max(MAX_PASSWORD_LENGTH),
	password: z.string(),
	confirm: z.string(),
	endOthers: z.literal('1').optional()
});

type Field = 'current' | 'password' | 'confirm';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = await requireFullSession(useApp().db, locals, url);
	return {
		email: user.email,
		mustChange: user.mustChangePassword,
		min: MIN_PASSWORD_LENGTH,
		max: MAX_PASSWORD_LENGTH
	};
};

export const actions: Actions = {
	default: async ({ locals, url, request, getClientAddress }) => {
		const user = await requireFullSession(useApp().db, locals, url);
		const app = useApp();
		const t = translator(locals.locale);
		const parsed = fields.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success)
			return fail(400, { endOthers: true, errors: { password: t('account.errors.form') } });
		const { current, password, confirm } = parsed.data;
		const endOthers = parsed.data.endOthers === '1';
		// Guessing the current password from a borrowed session is throttled like sign-in.
		const key = `password:${user.id}`;
		const throttled = guessLimitMessage(app.limits.signIn, key, t);
		if (throttled) return fail(429, { endOthers, errors: { current: throttled } });
		const errors: Partial<Record<Field, string>> = {};
		const hash = await passwordHashOf(app.db, user.id);
		if (!hash || !(await verifyPassword(hash, current))) {
			app.limits.signIn.hit(key);
			errors.current = t('account.errors.current');
		}
		if ([...password].length < MIN_PASSWORD_LENGTH)
			errors.password = t('account.errors.tooShort', { min: MIN_PASSWORD_LENGTH });
		else if (password.length > MAX_PASSWORD_LENGTH)
			errors.password = t('account.errors.tooLong', { max: MAX_PASSWORD_LENGTH });
		else if (normaliseEmail(password) === normaliseEmail(user.email))
			errors.password = t('account.errors.isEmail');
		else if (password === current) errors.password = t('account.errors.same');
		if (!errors.password && confirm !== password) errors.confirm = t('account.errors.confirm');
		if (Object.keys(errors).length > 0) return fail(400, { endOthers, errors });

		app.limits.signIn.reset(key);
		await app.db.transaction(async (tx) => {
			await setPassword(tx, user.id, password, false);
			if (endOthers) await invalidateUserSessions(tx, user.id, locals.sessionId ?? undefined);
			await auditOwnAccount(tx, user, getClientAddress(), 'password_changed', {
				otherSessionsEnded: endOthers
			});
		});
		return { changed: true, home: homeFor(user) };
	}
};
