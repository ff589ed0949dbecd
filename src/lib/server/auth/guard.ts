import { redirect } from '@sveltejs/kit';
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
