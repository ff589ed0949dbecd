import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { sql } from '../db';
import { can, inScope, roles, scopeRoot, unitsInScope, type Capability } from './scope';
import type { SessionUser } from './session';

let app: App;
beforeAll(async () => {
	app = await startTestApp();
});
afterAll(() => app.db.close());

describe('what each role may do', () => {
	const expected: Record<SessionUser['role'], Capability[]> = {
		admin: ['results', 'followup', 'export', 'entry', 'touchpoints', 'apiTokens', 'admin'],
		analyst: ['results', 'export', 'apiTokens'],
		manager: ['results', 'followup', 'touchpoints'],
		clerk: ['entry']
	};
	const all: Capability[] = expected.admin;

	it.each(roles)('%s has exactly its capabilities', (role) => {
		const user = { role } as SessionUser;
		expect(all.filter((c) => can(user, c))).toEqual(expected[role]);
	});

	it('gives nobody anything when signed out', () => {
		expect(all.some((c) => can(null, c))).toBe(false);
	});
});

describe('scope in the unit tree', () => {
	it('lets admins and analysts see the whole tree', async () => {
		for (const role of ['admin', 'analyst'] as const) {
			const user = await staffUser(app, role);
			expect(scopeRoot(user)).toBeNull();
			expect(await inScope(app.db, user, 'AG.CD')).toBe(true);
			expect(await inScope(app.db, user, 'NOPE')).toBe(false);
			expect(await unitsInScope(app.db, user)).toBeNull();
		}
	});

	it('keeps a manager to their subtree: the unit and below, not siblings or parents', async () => {
		const manager = await staffUser(app, 'manager', 'AG.LX');
		expect(await inScope(app.db, manager, 'AG.LX')).toBe(true);
		expect(await inScope(app.db, manager, 'AG.LX.BD')).toBe(true);
		expect(await inScope(app.db, manager, 'AG.CD')).toBe(false);
		expect(await inScope(app.db, manager, 'AG')).toBe(false);
		expect(await inScope(app.db, manager, "AG.LX' or 1=1--")).toBe(false);
		const units = await unitsInScope(app.db, manager);
		expect(units?.has('AG.LX.BD')).toBe(true);
		expect(units?.has('AG.CD')).toBe(false);
	});

	it('follows a unit that moves to another parent, whatever its code says', async () => {
		const manager = await staffUser(app, 'manager', 'AG.CD');
		await app.db.query(sql`update units set parent_code = 'AG.CD' where code = 'AG.LX.BD'`);
		try {
			expect(await inScope(app.db, manager, 'AG.LX.BD')).toBe(true);
			const lx = await staffUser(app, 'manager', 'AG.LX');
			expect(await inScope(app.db, lx, 'AG.LX.BD')).toBe(false);
		} finally {
			await app.db.query(sql`update units set parent_code = 'AG.LX' where code = 'AG.LX.BD'`);
		}
	});

	it('gives a manager or clerk without a unit nothing', async () => {
		const clerk = await staffUser(app, 'clerk', null);
		expect(await inScope(app.db, clerk, 'AG')).toBe(false);
		expect((await unitsInScope(app.db, clerk))?.size).toBe(0);
	});
});
