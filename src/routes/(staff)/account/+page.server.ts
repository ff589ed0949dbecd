import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import {
	auditOwnAccount,
	revokeOwnSession,
	requireFullSession,
	can,
	deleteSessionCookie,
	invalidateUserSessions,
	listSessions
} from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

const revokeForm = z.object({ session: z.string().regex(/^[0-9a-f]{64}$/) });

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = await requireFullSession(useApp().db, locals, url);
	const sessions = await listSessions(useApp().db, user.id);
	return {
		me: {
			email: user.email,
			name: user.name,
			role: user.role,
			unitCode: user.unitCode,
			mfa: user.mfaEnrolled,
			tokens: can(user, 'apiTokens')
		},
		sessions: sessions.map((s) => ({
			id: s.id,
			createdAt: new Date(s.createdAt).toISOString(),
			expiresAt: new Date(s.expiresAt).toISOString(),
			current: s.id === locals.sessionId
		}))
	};
};

export const actions: Actions = {
	revoke: async ({ locals, url, request, cookies, getClientAddress }) => {
		const user = await requireFullSession(useApp().db, locals, url);
		const t = translator(locals.locale);
		const parsed = revokeForm.safeParse(Object.fromEntries(await request.formData()));
		const { db } = useApp();
		if (!parsed.success) return fail(400, { message: t('account.sessionGone') });
		const revoked = await db.transaction(async (tx) => {
			// Only the user's own sessions match: an id of someone else's changes nothing.
			if (!(await revokeOwnSession(tx, user.id, parsed.data.session))) return false;
			const current = parsed.data.session === locals.sessionId;
			await auditOwnAccount(tx, user, getClientAddress(), 'session_revoked', { current });
			return true;
		});
		if (!revoked) return fail(400, { message: t('account.sessionGone') });
		if (parsed.data.session === locals.sessionId) {
			deleteSessionCookie(cookies, url.protocol === 'https:');
			redirect(303, '/login');
		}
		return { revoked: 1 };
	},
	others: async ({ locals, url, getClientAddress }) => {
		const user = await requireFullSession(useApp().db, locals, url);
		const { db } = useApp();
		await db.transaction(async (tx) => {
			await invalidateUserSessions(tx, user.id, locals.sessionId ?? undefined);
			await auditOwnAccount(tx, user, getClientAddress(), 'session_revoked', { allOthers: true });
		});
		return { revoked: 'others' };
	}
};
