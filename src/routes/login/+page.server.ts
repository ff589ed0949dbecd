import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import en from '$lib/i18n/en.json';
import vi from '$lib/i18n/vi.json';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { landingFor } from '$lib/server/auth/accounts';
import { dummyHash, MAX_PASSWORD_LENGTH, verifyPassword } from '$lib/server/auth/password';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	setSessionCookie
} from '$lib/server/auth/session';
import { findForSignIn, normaliseEmail } from '$lib/server/auth/user';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

const credentials = z.object({
	email: z.string().trim().min(3).max(254),
	password: z.string().min(1).max(MAX_PASSWORD_LENGTH)
});

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, landingFor(locals.user, url.searchParams.get('redirectTo')));
	return { m: (locals.locale === 'en' ? en : vi).login, locale: locals.locale };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, url, getClientAddress }) => {
		const app = useApp();
		const t = translator(locals.locale);
		const form = Object.fromEntries(await request.formData());
		const parsed = credentials.safeParse(form);
		const email = typeof form.email === 'string' ? form.email.slice(0, 254) : '';
		if (!parsed.success) return fail(400, { email, message: t('login.invalid') });

		const account = normaliseEmail(parsed.data.email);
		const client = getClientAddress();
		// The address tried goes to the audit log shortened: enough to see a pattern, not a dump.
		const tried = { email: account.slice(0, 100) };
		// Failed attempts are throttled per account and per client; windows expire, so nobody is
		// locked out for good, and a correct password never counts against anyone.
		const keys = [`acct:${account}`, `ip:${client}`];
		if (keys.some((k) => app.limits.signIn.exhausted(k))) {
			log.warn('sign-in throttled', { client });
			await audit(app.db, {
				actor: null,
				action: 'sign_in_failed',
				detail: { ...tried, reason: 'throttled' },
				client
			});
			const minutes = Math.ceil(Math.max(...keys.map((k) => app.limits.signIn.retryAfter(k))) / 60);
			return fail(429, { email, message: t('login.throttled', { minutes }) });
		}
		const user = await findForSignIn(app.db, account);
		const valid = await verifyPassword(
			user?.password_hash ?? (await dummyHash()),
			parsed.data.password
		);
		if (!user || !valid || user.disabled) {
			for (const k of keys) app.limits.signIn.hit(k);
			log.info('sign-in failed', { client });
			const reason = !user ? 'unknown_account' : !valid ? 'wrong_password' : 'disabled';
			await audit(app.db, {
				actor: null,
				action: 'sign_in_failed',
				detail: { ...tried, reason },
				client
			});
			return fail(400, { email, message: t('login.invalid') });
		}
		app.limits.signIn.reset(`acct:${account}`);
		// A session planted before sign-in is dropped; the new one gets a fresh id.
		if (locals.sessionId) await invalidateSession(app.db, locals.sessionId);
		const token = generateSessionToken();
		// With a second factor the session is good for /login/totp alone until the code is given.
		const session = await createSession(app.db, token, user.id, false);
		setSessionCookie(cookies, token, session.expiresAt, url.protocol === 'https:');
		const redirectTo = url.searchParams.get('redirectTo');
		if (user.mfa_enrolled) {
			const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : '';
			redirect(303, `/login/totp${query}`);
		}
		await audit(app.db, {
			actor: { id: user.id, email: user.email },
			action: 'sign_in',
			target: user.email,
			client
		});
		log.info('sign-in', { user: user.id });
		redirect(303, landingFor(user, redirectTo));
	}
};
