import { useApp } from '$lib/server/app';
import { requireAccess, listUsers } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	const list = await listUsers(useApp().db);
	return {
		users: list.map((u) => ({
			id: u.id,
			email: u.email,
			name: u.name,
			role: u.role,
			unitCode: u.unitCode,
			disabled: u.disabledAt !== null,
			mfa: u.mfaEnrolled,
			createdAt: new Date(u.createdAt).toISOString()
		}))
	};
};
