import { redirect } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, cookies, url, getClientAddress }) => {
	const { db } = useApp();
	if (locals.sessionId && locals.user) {
		const user = locals.user;
		await db.transaction(async (tx) => {
			await invalidateSession(tx, locals.sessionId!);
			await audit(tx, {
				actor: { id: user.id, email: user.email },
				action: 'sign_out',
				target: user.email,
				client: getClientAddress()
			});
		});
	}
	deleteSessionCookie(cookies, url.protocol === 'https:');
	redirect(303, '/login');
};
