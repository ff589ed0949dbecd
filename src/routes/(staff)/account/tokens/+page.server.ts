import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import {
	requireFullSession,
	createApiToken,
	listApiTokens,
	revokeApiToken
} from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

const createForm = z.object({ name: z.string().trim().min(1).max(80) });
const revokeForm = z.object({ id: z.string().regex(/^[a-z2-7]{16}$/) });
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const load: PageServerLoad = async ({ locals, url }) => {
	const { db, config, surveys } = useApp();
	const user = await requireFullSession(db, locals, url, 'apiTokens');
	const tokens = await listApiTokens(db, user.id);
	return {
		origin: config.ORIGIN ?? url.origin,
		sampleSurvey: surveys.list()[0]?.definition.id ?? 'sipas-one-stop',
		tokens: tokens.map((tk) => ({
			id: tk.id,
			name: tk.name,
			createdAt: iso(tk.createdAt)!,
			lastUsedAt: iso(tk.lastUsedAt),
			revokedAt: iso(tk.revokedAt)
		}))
	};
};

export const actions: Actions = {
	create: async ({ locals, url, request, getClientAddress }) => {
		const { db } = useApp();
		const user = await requireFullSession(db, locals, url, 'apiTokens');
		const t = translator(locals.locale);
		const form = Object.fromEntries(await request.formData());
		const parsed = createForm.safeParse(form);
		const name = typeof form.name === 'string' ? form.name.slice(0, 80) : '';
		if (!parsed.success) return fail(400, { name, nameError: t('account.errors.tokenName') });
		const created = await db.transaction(async (tx) => {
			const created = await createApiToken(tx, user.id, parsed.data.name);
			await audit(tx, {
				actor: { id: user.id, email: user.email },
				action: 'token_created',
				target: created.id,
				detail: { name: parsed.data.name },
				client: getClientAddress()
			});
			return created;
		});
		// The secret is in this one answer; only its hash is kept.
		return { created: { name: parsed.data.name, token: created.token } };
	},
	revoke: async ({ locals, url, request, getClientAddress }) => {
		const { db } = useApp();
		const user = await requireFullSession(db, locals, url, 'apiTokens');
		const t = translator(locals.locale);
		const parsed = revokeForm.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { message: t('account.errors.tokenGone') });
		const revoked = await db.transaction(async (tx) => {
			// Only the user's own live tokens match.
			if (!(await revokeApiToken(tx, user.id, parsed.data.id))) return false;
			await audit(tx, {
				actor: { id: user.id, email: user.email },
				action: 'token_revoked',
				target: parsed.data.id,
				client: getClientAddress()
			});
			return true;
		});
		if (!revoked) return fail(400, { message: t('account.errors.tokenGone') });
		return { revoked: true };
	}
};
