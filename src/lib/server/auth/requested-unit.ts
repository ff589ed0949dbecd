import type { Queryable } from '../db';
import { requireUnitInScope } from './guard';
import { scopeRoot } from './scope';
import type { SessionUser } from './session';

/**
 * The unit a results page is asked about: `?unit=`, else the root of the user's subtree (the
 * province for those who see every unit). A unit outside the subtree answers 404.
 */
export async function requireRequestedUnit(
	db: Queryable,
	user: SessionUser,
	url: URL
): Promise<string> {
	const unit = url.searchParams.get('unit') || scopeRoot(user) || 'AG';
	await requireUnitInScope(db, user, unit);
	return unit;
}
