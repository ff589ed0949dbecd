import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import {
	auditOwnAccount,
	homeFor,
	requireFullSession,
	MAX_PASSWORD_LENGTH,
	verifyPassword,
	markTwoFactorVerified,
	type SessionUser,
	claimTotpStep,
	guessLimitMessage,
	passwordHashOf,
	setTotpKey,
	totpKeyOf
} from '$lib/server/auth';
import * as totp from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

const codeForm = z.object({ code: z.string().trim().max(16) });
const passwordForm = z.object({ current: z.string().max(MAX_PASSWORD_LENGTH) });

/** With REQUIRE_ADMIN_MFA=1 an administrator's second factor is not optional. */
function mfaRequired(user: SessionUser) {
	return user.role === 'admin' && useApp().config.REQUIRE_ADMIN_MFA === '1';
}

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
	const user = await requireFullSession(useApp().db, locals, url);
	// Read from the database, not the session: an action in this very request may have changed it.
	const enrolled = (await totpKeyOf(useApp().db, user.id)) !== null;
	const base = {
		enrolled,
		required: mfaRequired(user),
		home: homeFor(user)
	};
	if (enrolled) return { ...base, enrolment: null };
	// The same key survives a wrong code and a reload: the authenticator already holds it.
	let key = totp.readPendingKey(cookies, user.id);
	if (!key) {
		key = totp.generateTotpKey();
		totp.setPendingKey(cookies, user.id, key, url.protocol === 'https:');
	}
	const uri = totp.totpUri(user.email, key);
	return {
		...base,
		enrolment: { qr: await totp.totpQrSvg(uri), secret: totp.formatTotpKey(key), uri }
	};
};

export const actions: Actions = {
	confirm: async ({ locals, url, request, cookies, getClientAddress }) => {
		const user = await requireFullSession(useApp().db, locals, url);
		const app = useApp();
		const t = translator(locals.locale);
		if (user.mfaEnrolled) return fail(400, { message: t('account.errors.mfaAlready') });
		const key = totp.readPendingKey(cookies, user.id);
		if (!key) return fail(400, { message: t('account.errors.mfaExpired') });
		const limit = `mfa:${user.id}`;
		const throttled = guessLimitMessage(app.limits.signIn, limit, t);
		if (throttled) return fail(429, { message: throttled });
		const parsed = codeForm.safeParse(Object.fromEntries(await request.formData()));
		const step = parsed.success ? totp.matchTotpStep(key, parsed.data.code) : null;
		if (step === null) {
			app.limits.signIn.hit(limit);
			return fail(400, { message: t('login.codeInvalid') });
		}
		app.limits.signIn.reset(limit);
		await app.db.transaction(async (tx) => {
			await setTotpKey(tx, user.id, key);
			// The enrolment code is spent too: it cannot open a session afterwards.
			await claimTotpStep(tx, user.id, step);
			// The code was just given in this session: it counts as verified.
			if (locals.sessionId) await markTwoFactorVerified(tx, locals.sessionId);
			await auditOwnAccount(tx, user, getClientAddress(), 'mfa_enabled');
		});
		totp.clearPendingKey(cookies, url.protocol === 'https:');
		return { enabled: true };
	},
	restart: async ({ locals, url, cookies }) => {
		await requireFullSession(useApp().db, locals, url);
		totp.clearPendingKey(cookies, url.protocol === 'https:');
		return { restarted: true };
	},
	disable: async ({ locals, url, request, getClientAddress }) => {
		const user = await requireFullSession(useApp().db, locals, url);
		const app = useApp();
		const t = translator(locals.locale);
		if (!user.mfaEnrolled) return fail(400, { message: t('account.errors.mfaNotOn') });
		if (mfaRequired(user)) return fail(400, { message: t('account.errors.mfaRequired') });
		const limit = `password:${user.id}`;
		const throttled = guessLimitMessage(app.limits.signIn, limit, t);
		if (throttled) return fail(429, { message: throttled });
		const parsed = passwordForm.safeParse(Object.fromEntries(await request.formData()));
		const hash = await passwordHashOf(app.db, user.id);
		if (!parsed.success || !hash || !(await verifyPassword(hash, parsed.data.current))) {
			app.limits.signIn.hit(limit);
			return fail(400, { message: t('account.errors.current') });
		}
		app.limits.signIn.reset(limit);
		await app.db.transaction(async (tx) => {
			await setTotpKey(tx, user.id, null);
			await auditOwnAccount(tx, user, getClientAddress(), 'mfa_disabled');
		});
		return { disabled: true };
	}
};
