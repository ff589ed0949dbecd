import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, run, startAdminApp, staffUser } from '$tests/helpers/staff';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import {
	createApiToken,
	userOfApiToken,
	verifyPassword,
	type SessionUser,
	createSession,
	generateSessionToken,
	validateSessionToken,
	findForSignIn,
	getUser,
	listUsers
} from '$lib/server/auth';
import { actions as loginActions } from '../../../login/+page.server';
import { actions as userActions, load as userLoad } from './[id]/+page.server';
import { load as listLoad } from './+page.server';
import { actions as newActions, load as newLoad } from './new/+page.server';

let app: App;
let admin: SessionUser;

beforeAll(async () => ({ app, admin } = await startAdminApp()));
afterAll(() => app.db.close());

const create = (form: Record<string, string>, user = admin) =>
	run(newActions.default!, { user, path: '/admin/users/new', form });

const act = (name: string, id: string, form: Record<string, string> = {}, user = admin) =>
	run(userActions[name]!, {
		user,
		path: `/admin/users/${id}?/${name}`,
		params: { id },
		form
	});

async function userCount() {
	return (await listUsers(app.db)).length;
}

describe('creating users', () => {
	it('creates a manager with a temporary password that works and must be changed', async () => {
		const outcome = await create({
			email: ' New.Manager@Test.Hailong ',
			name: 'Nguyễn Văn A',
			role: 'manager',
			unit: 'AG.LX'
		});
		expect(outcome.kind).toBe('ok');
		const created = dataOf<{ created: { id: string; password: string } }>(outcome).created;
		expect(created.password.length).toBeGreaterThanOrEqual(12);
		const user = await getUser(app.db, created.id);
		expect(user).toMatchObject({
			email: 'new.manager@test.hailong',
			name: 'Nguyễn Văn A',
			role: 'manager',
			unitCode: 'AG.LX',
			mustChangePassword: true
		});
		const account = await findForSignIn(app.db, 'new.manager@test.hailong');
		expect(await verifyPassword(account!.password_hash, created.password)).toBe(true);

		// The temporary password signs in, and the session is marked for a password change.
		let token: string | undefined;
		const signIn = await run(
			(event) => {
				event.cookies.set = (_: string, value: string) => void (token = value);
				return loginActions.default!(event);
			},
			{ path: '/login', form: { email: 'new.manager@test.hailong', password: created.password } }
		);
		expect(signIn.kind).toBe('redirect');
		const found = await validateSessionToken(app.db, token!);
		expect(found?.user.mustChangePassword).toBe(true);

		const audited = await listAudit(app.db, { action: 'user_created', actor: admin.email });
		expect(audited[0]).toMatchObject({
			target: 'new.manager@test.hailong',
			detail: { role: 'manager', unit: 'AG.LX' }
		});
		expect(JSON.stringify(audited)).not.toContain(created.password);
	});

	// Administrators and analysts act for the whole province: a unit sent with them is dropped.
	it.each(['analyst', 'admin'] as const)(
		'creates an %s without a unit even when one is sent',
		async (role) => {
			const outcome = await create({
				email: `${role}.new@test.hailong`,
				name: '',
				role,
				unit: 'AG.LX'
			});
			expect(outcome.kind).toBe('ok');
			const id = dataOf<{ created: { id: string } }>(outcome).created.id;
			expect(await getUser(app.db, id)).toMatchObject({ role, unitCode: null, name: null });
		}
	);

	it.each([
		[{ email: 'c1@test.hailong', name: '', role: 'clerk', unit: '' }, 'unit'],
		[{ email: 'c2@test.hailong', name: '', role: 'manager', unit: 'AG.NOPE' }, 'unit'],
		[{ email: 'not-an-email', name: '', role: 'analyst', unit: '' }, 'email'],
		[{ email: 'c3@test.hailong', name: '', role: 'superuser', unit: '' }, 'role'],
		[{ email: 'c4@test.hailong', name: 'x'.repeat(121), role: 'analyst', unit: '' }, 'name']
	])('refuses %o with an error on %s and changes nothing', async (form, field) => {
		const before = await userCount();
		const outcome = await create(form);
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		const errors = dataOf<{ errors: Record<string, string> }>(outcome).errors;
		expect(errors[field]).toBeTruthy();
		expect(await userCount()).toBe(before);
	});

	it('refuses a duplicate email, whatever its case', async () => {
		const before = await userCount();
		const outcome = await create({
			email: admin.email.toUpperCase(),
			name: '',
			role: 'analyst',
			unit: ''
		});
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(dataOf<{ errors: { email: string } }>(outcome).errors.email).toMatch(/thư điện tử/);
		expect(await userCount()).toBe(before);
	});
});

describe('who may manage users', () => {
	it.each(['analyst', 'manager', 'clerk'] as const)(
		'answers 404 to a %s on every page and action',
		async (role) => {
			const user = await staffUser(app, role, role === 'analyst' ? null : 'AG.LX');
			const target = await staffUser(app, 'clerk', 'AG.LX');
			const before = await userCount();
			const outcomes = [
				await run(listLoad, { user, path: '/admin/users' }),
				await run(newLoad, { user, path: '/admin/users/new' }),
				await create({ email: `${role}.x@test.hailong`, name: '', role: 'admin', unit: '' }, user),
				await run(userLoad, { user, path: `/admin/users/${target.id}`, params: { id: target.id } }),
				await act('update', target.id, { name: '', role: 'admin', unit: '' }, user),
				await act('disable', target.id, {}, user),
				await act('enable', target.id, {}, user),
				await act('reset', target.id, {}, user)
			];
			for (const o of outcomes) expect(o).toMatchObject({ kind: 'error', status: 404 });
			expect(await userCount()).toBe(before);
			expect(await getUser(app.db, target.id)).toMatchObject({ role: 'clerk', disabledAt: null });
		}
	);

	it('sends a signed-out visitor to sign in', async () => {
		const outcome = await run(listLoad, { path: '/admin/users' });
		expect(outcome).toMatchObject({
			kind: 'redirect',
			location: expect.stringMatching(/^\/login/)
		});
	});

	it('lists users for an administrator, without password hashes or keys', async () => {
		const outcome = await run(listLoad, { user: admin, path: '/admin/users' });
		expect(outcome.kind).toBe('ok');
		const text = JSON.stringify(outcome);
		expect(text).toContain(admin.email);
		expect(text).not.toContain('argon2');
	});

	it('answers 404 for an unknown user id', async () => {
		const outcome = await run(userLoad, {
			user: admin,
			path: '/admin/users/nobody',
			params: { id: 'nobody' }
		});
		expect(outcome).toMatchObject({ kind: 'error', status: 404 });
	});
});

describe('changing users', () => {
	it('changes role and unit and audits before and after', async () => {
		const user = await staffUser(app, 'clerk', 'AG.LX');
		const outcome = await act('update', user.id, {
			name: 'Trần B',
			role: 'manager',
			unit: 'AG.CD'
		});
		expect(outcome).toMatchObject({ kind: 'ok' });
		expect(await getUser(app.db, user.id)).toMatchObject({
			role: 'manager',
			unitCode: 'AG.CD',
			name: 'Trần B'
		});
		const [entry] = await listAudit(app.db, { action: 'user_changed', actor: admin.email });
		expect(entry).toMatchObject({
			target: user.email,
			detail: {
				before: { role: 'clerk', unit: 'AG.LX' },
				after: { role: 'manager', unit: 'AG.CD' }
			}
		});
	});

	it('keeps the user as they were when the new unit is missing', async () => {
		const user = await staffUser(app, 'analyst');
		const outcome = await act('update', user.id, { name: '', role: 'clerk', unit: '' });
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(await getUser(app.db, user.id)).toMatchObject({ role: 'analyst', unitCode: null });
	});

	it('does not let an administrator demote or disable themselves', async () => {
		const demote = await act('update', admin.id, { name: '', role: 'analyst', unit: '' });
		const disable = await act('disable', admin.id);
		expect(demote).toMatchObject({ kind: 'fail', status: 400 });
		expect(disable).toMatchObject({ kind: 'fail', status: 400 });
		expect(await getUser(app.db, admin.id)).toMatchObject({ role: 'admin', disabledAt: null });
	});

	it('disabling ends every session and revokes every token; enabling lets the user back in', async () => {
		const analyst = await staffUser(app, 'analyst');
		const token = generateSessionToken();
		await createSession(app.db, token, analyst.id);
		const { token: apiToken } = await createApiToken(app.db, analyst.id, 'BI');
		expect(await userOfApiToken(app.db, apiToken)).not.toBeNull();

		expect((await act('disable', analyst.id)).kind).toBe('ok');
		expect(await validateSessionToken(app.db, token)).toBeNull();
		expect(await userOfApiToken(app.db, apiToken)).toBeNull();
		const row = await findForSignIn(app.db, analyst.email);
		expect(row?.disabled).toBe(true);
		expect((await listAudit(app.db, { action: 'user_disabled' }))[0]?.target).toBe(analyst.email);

		expect((await act('enable', analyst.id)).kind).toBe('ok');
		expect((await findForSignIn(app.db, analyst.email))?.disabled).toBe(false);
		// Tokens stay revoked: re-enabling does not bring them back.
		expect(await userOfApiToken(app.db, apiToken)).toBeNull();
		expect((await listAudit(app.db, { action: 'user_enabled' }))[0]?.target).toBe(analyst.email);
	});

	it('a password reset gives a new temporary password once and ends sessions', async () => {
		const manager = await staffUser(app, 'manager', 'AG.LX');
		const token = generateSessionToken();
		await createSession(app.db, token, manager.id);
		const outcome = await act('reset', manager.id);
		expect(outcome.kind).toBe('ok');
		const password = dataOf<{ reset: { password: string } }>(outcome).reset.password;
		const row = await findForSignIn(app.db, manager.email);
		expect(await verifyPassword(row!.password_hash, password)).toBe(true);
		expect(await verifyPassword(row!.password_hash, 'a-long-test-password')).toBe(false);
		expect(await validateSessionToken(app.db, token)).toBeNull();
		expect(await getUser(app.db, manager.id)).toMatchObject({ mustChangePassword: true });
		const [entry] = await listAudit(app.db, { action: 'user_changed' });
		expect(entry).toMatchObject({ target: manager.email, detail: { passwordReset: true } });
	});
});
