import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import {
	landingFor,
	sessionTwoFactorVerified,
	markTwoFactorVerified,
	type SessionUser,
	matchTotpStep,
	claimTotpStep,
	guessLimitMessage,
	totpKeyOf
} from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

const codeForm = z.object({ code: z.string().trim().max(16) });

/**
 * The second step of sign-in. Only a session that passed the password step and still owes its
 * code may be here; anyone else is sent on.
 */
async function pendingUser(locals: App.Locals, url: URL): Promise<SessionUser> {
	const { db } = useApp();
	const redirectTo = url.searchParams.get('redirectTo');
	if (!locals.user || !locals.sessionId) redirect(303, '/login');
	if (!locals.user.mfaEnrolled || (await sessionTwoFactorVerified(db, locals.sessionId)))
		redirect(303, landingFor(locals.user, redirectTo));
	return locals.user;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	await pendingUser(locals, url);
	return {};
};

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const user = await pendingUser(locals, url);
		const app = useApp();
		const t = translator(locals.locale);
		const client = getClientAddress();
		const actor = { id: user.id, email: user.email };
		// Wrong codes are counted per user: six digits fall to guessing without a limit.
		const key = `totp:${user.id}`;
		const throttled = guessLimitMessage(app.limits.signIn, key, t);
		if (throttled) return fail(429, { message: throttled });
		const parsed = codeForm.safeParse(Object.fromEntries(await request.formData()));
		const totpKey = await totpKeyOf(app.db, user.id);
		const step = parsed.success && totpKey ? matchTotpStep(totpKey, parsed.data.code) : null;
		// Each code opens one session: its step must be later than the last one used.
		if (step === null || !(await claimTotpStep(app.db, user.id, step))) {
			app.limits.signIn.hit(key);
			await audit(app.db, {
				actor,
				action: 'sign_in_failed',
				target: user.email,
				detail: { email: user.email.slice(0, 100), reason: 'wrong_code' },
				client
			});
			return fail(400, { message: t('login.codeInvalid') });
		}
		app.limits.signIn.reset(key);
		await app.db.transaction(async (tx) => {
			await markTwoFactorVerified(tx, locals.sessionId!);
			await audit(tx, {
				actor,
				action: 'sign_in',
				target: user.email,
				detail: { secondFactor: 'totp' },
				client
			});
		});
		redirect(303, landingFor(user, url.searchParams.get('redirectTo')));
	}
};
