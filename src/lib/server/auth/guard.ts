import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from './session';

/** Staff pages call this first; a visitor without a session goes to the sign-in page. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user)
		redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}

/** Only same-origin relative paths are followed after sign-in. */
export function safeRedirect(target: string | null): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
		return '/dashboard';
	}
	return target;
}

/** Like requireUser, for acts only some roles may do; others get a 404, as if it were not there. */
export function requireRole(
	locals: App.Locals,
	url: URL,
	roles: SessionUser['role'][]
): SessionUser {
	const user = requireUser(locals, url);
	if (!roles.includes(user.role)) error(404, 'Không tìm thấy trang / Not found');
	return user;
}
