import { error } from '@sveltejs/kit';
import type { Channel } from '$lib/survey/definition';
import { useApp } from '$lib/server/app';
import {
	requireAccess,
	requireUnitInScope,
	type Capability,
	type SessionUser
} from '$lib/server/auth';
import * as touchpoints from '$lib/server/touchpoints';
import type { Touchpoint } from '$lib/server/touchpoints';

const notFound = 'Không tìm thấy điểm khảo sát / Not found';

/**
 * Every page under /touchpoints/[code] starts here: the capability first, then the touchpoint,
 * which must exist, have the expected channel and belong to a unit in the user's subtree.
 * Anything else is a 404, so codes outside one's scope cannot be told from unknown ones.
 */
export async function openTouchpoint(
	locals: App.Locals,
	url: URL,
	code: string,
	{ capability, channel }: { capability: Capability; channel?: Channel }
): Promise<{ user: SessionUser; touchpoint: Touchpoint }> {
	const user = requireAccess(locals, url, capability);
	const db = useApp().db;
	const touchpoint = code.length <= 64 ? await touchpoints.findByCode(db, code) : undefined;
	if (!touchpoint || (channel && touchpoint.channel !== channel)) error(404, notFound);
	await requireUnitInScope(db, user, touchpoint.unitCode, notFound);
	return { user, touchpoint };
}

/** Who did it, as the audit log records it. */
export function actor(user: SessionUser) {
	return { id: user.id, email: user.email };
}
