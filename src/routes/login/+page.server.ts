import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import {
	landingFor,
	dummyHash,
	MAX_PASSWORD_LENGTH,
	verifyPassword,
	createSession,
	generateSessionToken,
	invalidateSession,
	setSessionCookie,
	findForSignIn,
	normaliseEmail
} from '$lib/server/auth';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

const credentials = z.object({
	// Control characters (a NUL above all) can be in no address: refused like a wrong password.
	email: z
		.string()
		.trim()
		.min(3)
		.max(254)
		.refine((e) => ![...e].some((c) => c < ' ' || c === '\u007f')),
	password: z.string().min(1).max(MAX_PASSWORD_LENGTH)
});

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, landingFor(locals.user, url.searchParams.get('redirectTo')));
	return {};
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
		// Failed attempts are throttled per account from one client, and per client across accounts.
		// An account is never throttled as a whole: an attacker elsewhere could then keep an
		// administrator out for good by refilling the window. Windows expire; a correct password
		// never counts against anyone.
		const limits = [
			{ limiter: app.limits.signIn, key: `acct:${account}|${client}` },
			{ limiter: app.limits.signInClient, key: `ip:${client}` }
		];
		if (limits.some(({ limiter, key }) => limiter.exhausted(key))) {
			log.warn('sign-in throttled', { client });
			await audit(app.db, {
				actor: null,
				action: 'sign_in_failed',
				detail: { ...tried, reason: 'throttled' },
				client
			});
			const wait = Math.max(...limits.map(({ limiter, key }) => limiter.retryAfter(key)));
			const minutes = Math.ceil(wait / 60);
			return fail(429, { email, message: t('login.throttled', { minutes }) });
		}
		const user = await findForSignIn(app.db, account);
		const valid = await verifyPassword(
			user?.password_hash ?? (await dummyHash()),
			parsed.data.password
		);
		if (!user || !valid || user.disabled) {
			for (const { limiter, key } of limits) limiter.hit(key);
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
		app.limits.signIn.reset(`acct:${account}|${client}`);
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
