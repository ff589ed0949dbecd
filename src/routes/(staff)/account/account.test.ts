import { generateTOTP } from '@oslojs/otp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, run, startStaffApp, staffUser } from '$tests/helpers/staff';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import {
	verifyPassword,
	validateSessionToken,
	findForSignIn,
	getUser,
	totpKeyOf
} from '$lib/server/auth';
import { actions as accountActions, load as accountLoad } from './+page.server';
import { actions as mfaActions, load as mfaLoad } from './mfa/+page.server';
import { actions as passwordActions } from './password/+page.server';

let app: App;
let sessionOf: Awaited<ReturnType<typeof startStaffApp>>['sessionOf'];
let call: Awaited<ReturnType<typeof startStaffApp>>['call'];

beforeAll(async () => ({ app, sessionOf, call } = await startStaffApp()));
afterAll(() => app.db.close());

const PASSWORD = 'a-long-test-password';

const errorsOf = (o: Awaited<ReturnType<typeof run>>) =>
	o.kind === 'fail' ? (o.data.errors as Record<string, string>) : {};

describe('changing one’s password', () => {
	const change = (token: string, form: Record<string, string>) =>
		call(passwordActions.default!, { path: '/account/password', form }, token);

	it.each([
		[
			{ current: 'wrong-password!', password: 'a-brand-new-secret', confirm: 'a-brand-new-secret' },
			'current'
		],
		[{ current: PASSWORD, password: 'short-one', confirm: 'short-one' }, 'password'],
		[{ current: PASSWORD, password: 'x'.repeat(257), confirm: 'x'.repeat(257) }, 'password'],
		[{ current: PASSWORD, password: PASSWORD, confirm: PASSWORD }, 'password'],
		[
			{ current: PASSWORD, password: 'a-brand-new-secret', confirm: 'a-brand-new-secreT' },
			'confirm'
		]
	])('refuses %o (error on %s) and keeps the old password', async (form, field) => {
		const user = await staffUser(app, 'manager', 'AG.LX');
		const token = await sessionOf(user);
		const outcome = await change(token, form);
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(errorsOf(outcome)[field]).toBeTruthy();
		const row = await findForSignIn(app.db, user.email);
		expect(await verifyPassword(row!.password_hash, PASSWORD)).toBe(true);
	});

	it('refuses the email address as the new password', async () => {
		const user = await staffUser(app, 'analyst');
		const token = await sessionOf(user);
		const email = user.email.toUpperCase();
		const outcome = await change(token, { current: PASSWORD, password: email, confirm: email });
		expect(errorsOf(outcome).password).toMatch(/thư điện tử/);
	});

	it('changes it, clears the forced change, ends other sessions and audits it', async () => {
		const user = await staffUser(app, 'clerk', 'AG.LX');
		await app.db.query({
			text: 'update users set must_change_password = true where id = $1',
			values: [user.id]
		});
		const here = await sessionOf(user);
		const elsewhere = await sessionOf(user);
		const outcome = await change(here, {
			current: PASSWORD,
			password: 'một câu mật khẩu dài',
			confirm: 'một câu mật khẩu dài',
			endOthers: '1'
		});
		expect(outcome).toMatchObject({ kind: 'ok', data: { changed: true, home: '/entry' } });
		const stored = await getUser(app.db, user.id);
		expect(stored?.mustChangePassword).toBe(false);
		expect(stored?.passwordChangedAt).not.toBeNull();
		const row = await findForSignIn(app.db, user.email);
		expect(await verifyPassword(row!.password_hash, 'một câu mật khẩu dài')).toBe(true);
		expect(await validateSessionToken(app.db, here)).not.toBeNull();
		expect(await validateSessionToken(app.db, elsewhere)).toBeNull();
		const [entry] = await listAudit(app.db, { action: 'password_changed', actor: user.email });
		expect(entry?.detail).toEqual({ otherSessionsEnded: true });
		expect(entry?.target).toBe(user.email);
	});

	it('keeps other sessions when the box is unticked', async () => {
		const user = await staffUser(app, 'analyst');
		const here = await sessionOf(user);
		const elsewhere = await sessionOf(user);
		const outcome = await change(here, {
			current: PASSWORD,
			password: 'another-good-passphrase',
			confirm: 'another-good-passphrase'
		});
		expect(outcome.kind).toBe('ok');
		expect(await validateSessionToken(app.db, elsewhere)).not.toBeNull();
	});
});

describe('one’s sessions', () => {
	it('lists them, marks the current one, and revokes one or all the others', async () => {
		const user = await staffUser(app, 'manager', 'AG.LX');
		const here = await sessionOf(user);
		const second = await sessionOf(user);
		const third = await sessionOf(user);
		const page = await call(accountLoad, { path: '/account' }, here);
		const sessions = dataOf<{ sessions: { id: string; current: boolean }[] }>(page).sessions;
		expect(sessions).toHaveLength(3);
		expect(sessions.filter((s) => s.current)).toHaveLength(1);

		const secondId = (await validateSessionToken(app.db, second))!.session.id;
		const revoke = await call(
			accountActions.revoke!,
			{ path: '/account?/revoke', form: { session: secondId } },
			here
		);
		expect(revoke.kind).toBe('ok');
		expect(await validateSessionToken(app.db, second)).toBeNull();
		expect(await validateSessionToken(app.db, third)).not.toBeNull();

		const others = await call(accountActions.others!, { path: '/account?/others', form: {} }, here);
		expect(others.kind).toBe('ok');
		expect(await validateSessionToken(app.db, third)).toBeNull();
		expect(await validateSessionToken(app.db, here)).not.toBeNull();
		const audited = await listAudit(app.db, { action: 'session_revoked', actor: user.email });
		expect(audited).toHaveLength(2);
		expect(audited.map((e) => e.target)).toEqual([user.email, user.email]);
	});

	it('cannot end someone else’s session', async () => {
		const user = await staffUser(app, 'manager', 'AG.LX');
		const other = await staffUser(app, 'manager', 'AG.LX');
		const mine = await sessionOf(user);
		const theirs = await sessionOf(other);
		const theirId = (await validateSessionToken(app.db, theirs))!.session.id;
		const outcome = await call(
			accountActions.revoke!,
			{ path: '/account?/revoke', form: { session: theirId } },
			mine
		);
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(await validateSessionToken(app.db, theirs)).not.toBeNull();
	});
});

describe('two-factor enrolment', () => {
	/** Opens the enrolment page and reads the key it shows (the manual-entry secret). */
	async function startEnrolment(token: string, jar: Map<string, string>) {
		const page = await call(mfaLoad, { path: '/account/mfa' }, token, jar);
		const secret = dataOf<{ enrolment: { secret: string; qr: string; uri: string } }>(
			page
		).enrolment;
		expect(secret.qr).toMatch(/^<svg/);
		expect(secret.uri).toMatch(/^otpauth:\/\/totp\//);
		const { decodeBase32IgnorePadding } = await import('@oslojs/encoding');
		return decodeBase32IgnorePadding(secret.secret.replace(/ /g, ''));
	}
	const confirm = (token: string, jar: Map<string, string>, code: string) =>
		call(mfaActions.confirm!, { path: '/account/mfa?/confirm', form: { code } }, token, jar);
	const disable = (token: string, current: string) =>
		call(mfaActions.disable!, { path: '/account/mfa?/disable', form: { current } }, token);

	/** A user who has enrolled a second factor, and the session in which they gave its code. */
	async function enrolledUser(role: 'admin' | 'analyst') {
		const user = await staffUser(app, role);
		const token = await sessionOf(user, true);
		const jar = new Map<string, string>();
		const key = await startEnrolment(token, jar);
		await confirm(token, jar, generateTOTP(key, 30, 6));
		return { user, token };
	}

	it('stores the key only after a right code, and verifies the current session', async () => {
		const user = await staffUser(app, 'analyst');
		const token = await sessionOf(user);
		const jar = new Map<string, string>();
		const key = await startEnrolment(token, jar);
		// A reload shows the same key: the authenticator already has it.
		expect(await startEnrolment(token, jar)).toEqual(key);

		const right = generateTOTP(key, 30, 6);
		const wrongCode = String((Number(right) + 3) % 1_000_000).padStart(6, '0');
		const wrong = await confirm(token, jar, wrongCode);
		expect(wrong).toMatchObject({ kind: 'fail', status: 400 });
		expect(await totpKeyOf(app.db, user.id)).toBeNull();

		const ok = await confirm(token, jar, right);
		expect(ok).toMatchObject({ kind: 'ok', data: { enabled: true } });
		expect(await totpKeyOf(app.db, user.id)).toEqual(key);
		const found = await validateSessionToken(app.db, token);
		expect(found?.user.mfaEnrolled).toBe(true);
		expect(found?.session.twoFactorVerified).toBe(true);
		expect((await listAudit(app.db, { action: 'mfa_enabled', actor: user.email })).length).toBe(1);
	});

	it('a session without the code cannot turn the second factor off, even with the password', async () => {
		const { user, token: verified } = await enrolledUser('analyst');
		const passwordOnly = await sessionOf(user, false);
		const attempt = await disable(passwordOnly, PASSWORD);
		expect(attempt).toMatchObject({ kind: 'redirect', location: '/login/totp' });
		const change = await call(
			passwordActions.default!,
			{
				path: '/account/password',
				form: { current: PASSWORD, password: 'taken-over-password', confirm: 'taken-over-password' }
			},
			passwordOnly
		);
		expect(change).toMatchObject({ kind: 'redirect', location: '/login/totp' });
		expect(await totpKeyOf(app.db, user.id)).not.toBeNull();

		const wrongPassword = await disable(verified, 'not-my-password');
		expect(wrongPassword).toMatchObject({ kind: 'fail', status: 400 });
		expect(await totpKeyOf(app.db, user.id)).not.toBeNull();

		const off = await disable(verified, PASSWORD);
		expect(off).toMatchObject({ kind: 'ok', data: { disabled: true } });
		expect(await totpKeyOf(app.db, user.id)).toBeNull();
		expect((await listAudit(app.db, { action: 'mfa_disabled', actor: user.email })).length).toBe(1);
	});

	it('an administrator cannot turn it off when REQUIRE_ADMIN_MFA=1', async () => {
		const { user: admin, token } = await enrolledUser('admin');
		const config = app.config;
		app.config = { ...config, REQUIRE_ADMIN_MFA: '1' };
		try {
			const outcome = await disable(token, PASSWORD);
			expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
			expect(await totpKeyOf(app.db, admin.id)).not.toBeNull();
		} finally {
			app.config = config;
		}
	});
});
