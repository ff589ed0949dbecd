import { error, redirect } from '@sveltejs/kit';
import type { Queryable } from '../db';
import { log } from '../log';
import { can, inScope, isUnitCode, type Capability } from './scope';
import type { SessionUser } from './session';

const notFound = 'Không tìm thấy trang / Not found';

/** Staff pages call this first; a visitor without a session goes to the sign-in page. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user)
		redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.user;
}

/** Only same-origin relative paths are followed after sign-in. */
export function safeRedirect(target: string | null): string {
	if (
		!target ||
		!target.startsWith('/') ||
		target.startsWith('//') ||
		target.startsWith('/\\') ||
		target.includes('\\') ||
		[...target].some((c) => c < ' ')
	) {
		return '/dashboard';
	}
	return target;
}

/**
 * Every staff load, action and endpoint starts here: signed out goes to sign-in, a role without
 * the capability gets a 404, as if the page were not there.
 */
export function requireAccess(locals: App.Locals, url: URL, capability: Capability): SessionUser {
	const user = requireUser(locals, url);
	if (!can(user, capability)) error(404, notFound);
	return user;
}

/**
 * A unit (from a path, query or body) outside the user's subtree answers 404, as if unknown, and
 * the attempt is logged: someone is asking for another unit's data.
 */
export async function requireUnitInScope(
	db: Queryable,
	user: SessionUser,
	unitCode: string,
	message = notFound
) {
	// The shape is checked first: a stray byte (NUL, say) must not reach the database as a 500.
	if (!isUnitCode(unitCode)) error(404, message);
	if (!(await inScope(db, user, unitCode))) {
		log.warn("refused a unit outside the user's scope", { user: user.id, unit: unitCode });
		error(404, message);
	}
}

/**
 * The same rule for a load that has read the unit list and the user's subtree already
 * (`unitsInScope`), so it costs no further query.
 */
export function requireUnitAmong(
	user: SessionUser,
	unitCode: string,
	known: readonly { code: string }[],
	visible: ReadonlySet<string> | null,
	message = notFound
) {
	if (!isUnitCode(unitCode)) error(404, message);
	if (!known.some((u) => u.code === unitCode) || (visible && !visible.has(unitCode))) {
		log.warn("refused a unit outside the user's scope", { user: user.id, unit: unitCode });
		error(404, message);
	}
}
