import { type Queryable, sql } from '../db';
import * as units from '../units';
import type { SessionUser } from './session';

export type Role = SessionUser['role'];
export const roles: Role[] = ['admin', 'analyst', 'manager', 'clerk'];

/**
 * What each role may do. Managers and clerks act within their unit's subtree only; admins and
 * analysts see the whole tree.
 */
export type Capability =
	| 'results' // dashboards, results with small cells shown, comments
	| 'followup' // answering complaints
	| 'export' // CSV/XLSX exports of responses and results
	| 'entry' // keying in and importing paper questionnaires
	| 'touchpoints' // QR links, posters and receipt tokens of the units in scope
	| 'apiTokens' // read-only tokens for BI tools
	| 'admin'; // users, units, surveys and targets, touchpoint and device set-up, audit log

const grants: Record<Role, readonly Capability[]> = {
	admin: ['results', 'followup', 'export', 'entry', 'touchpoints', 'apiTokens', 'admin'],
	analyst: ['results', 'export', 'apiTokens'],
	manager: ['results', 'followup', 'touchpoints'],
	clerk: ['entry']
};

export function can(user: SessionUser | null, capability: Capability): boolean {
	return user !== null && grants[user.role].includes(capability);
}

/** Unit codes are dotted upper-case paths (AG.LX.BD); anything else is refused before SQL. */
export function isUnitCode(code: string): boolean {
	return code.length <= 64 && units.unitCodePattern.test(code);
}

/** The root of the subtree a user acts in; null means the whole tree. */
export function scopeRoot(user: SessionUser): string | null {
	if (user.role === 'admin' || user.role === 'analyst') return null;
	// A manager or clerk without a unit sees nothing: the impossible code matches no unit.
	return user.unitCode ?? '-';
}

/** Whether a unit lies in the user's subtree. */
export async function inScope(db: Queryable, user: SessionUser, unitCode: string) {
	const root = scopeRoot(user);
	if (root !== null) return units.isWithin(db, unitCode, root);
	const [row] = await db.query<{ ok: boolean }>(
		sql`select exists (select 1 from units where code = ${unitCode}) as ok`
	);
	return row?.ok ?? false;
}

/** The codes of every unit in the user's subtree; null means all units. */
export async function unitsInScope(db: Queryable, user: SessionUser): Promise<Set<string> | null> {
	const root = scopeRoot(user);
	return root === null ? null : units.subtreeCodes(db, root);
}
