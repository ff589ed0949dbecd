import { generateTOTP } from '@oslojs/otp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ADMIN } from '$tests/helpers/config';
import { run, staffUser, type EventInput } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import {
	createSession,
	generateSessionToken,
	validateSessionToken,
	generateTotpKey,
	setTotpKey
} from '$lib/server/auth';
import { POST as logout } from '../logout/+server';
import { actions, load } from './+page.server';
import { actions as totpActions, load as totpLoad } from './totp/+page.server';

let app: App;

beforeAll(async () => {
	app = await startTestApp();
});
afterAll(() => app.db.close());
afterEach(() => vi.useRealTimers());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (event: any) => unknown;

/**
 * Runs a handler as the hooks would leave the event: with the session of `token` (if any), and
 * reports the session cookie the handler set.
 */
async function call(handler: Handler, input: EventInput, token?: string) {
	const found = token ? await validateSessionToken(app.db, token) : null;
	let cookie: string | undefined;
	const outcome = await run(
		(event) => {
			event.locals.user = found?.user ?? null;
			event.locals.sessionId = found?.session.id ?? null;
			const set = event.cookies.set;
			event.cookies.set = (name: string, value: string, options: unknown) => {
				if (name === 'session') cookie = value;
				return set(name, value, options);
			};
			return handler(event);
		},
		{ ...input, user: found?.user ?? null }
	);
	return { outcome, cookie };
}

let addressCounter = 0;
/** A fresh client address, so one test's failures do not throttle another's. */
const freshAddress = () => `198.51.100.${++addressCounter}`;

function signIn(
	email: string,
	password: string,
	options: { query?: string; address?: string; token?: string } = {}
) {
	return call(
		actions.default!,
		{
			path: `/login${options.query ?? ''}`,
			form: { email, password },
			address: options.address ?? freshAddress()
		},
		options.token
	);
}

describe('sign-in', () => {
	it('signs in with the right password, sets a working session and audits it', async () => {
		const address = freshAddress();
		const { outcome, cookie } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password, { address });
		expect(outcome).toMatchObject({ kind: 'redirect', status: 303, location: '/dashboard' });
		expect(cookie).toBeTruthy();
		const found = await validateSessionToken(app.db, cookie!);
		expect(found?.user.email).toBe(TEST_ADMIN.email);
		const entries = await listAudit(app.db, { action: 'sign_in' });
		expect(entries.some((e) => e.actorEmail === TEST_ADMIN.email && e.client === address)).toBe(
			true
		);
	});

	it('sends a clerk to paper entry and others to the dashboard', async () => {
		const clerk = await staffUser(app, 'clerk', 'AG.LX');
		const manager = await staffUser(app, 'manager', 'AG.LX');
		const asClerk = await signIn(clerk.email, 'a-long-test-password');
		const asManager = await signIn(manager.email, 'a-long-test-password');
		expect(asClerk.outcome).toMatchObject({ kind: 'redirect', location: '/entry' });
		expect(asManager.outcome).toMatchObject({ kind: 'redirect', location: '/dashboard' });
	});

	it('gives the same generic answer for a wrong password and an unknown account, and audits both', async () => {
		const wrong = await signIn(TEST_ADMIN.email, 'not-the-password');
		const unknown = await signIn('nobody@test.hailong', 'not-the-password');
		expect(wrong.outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(unknown.outcome).toMatchObject({ kind: 'fail', status: 400 });
		const message = (o: typeof wrong.outcome) => (o.kind === 'fail' ? o.data.message : null);
		expect(message(wrong.outcome)).toBe(message(unknown.outcome));
		expect(wrong.cookie).toBeUndefined();
		const failures = await listAudit(app.db, { action: 'sign_in_failed' });
		const tried = failures.map((e) => e.detail.email);
		expect(tried).toContain(TEST_ADMIN.email);
		expect(tried).toContain('nobody@test.hailong');
		expect(JSON.stringify(failures)).not.toContain('not-the-password');
	});

	it('throttles the 11th wrong password for one account from one client, until the window ends', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const user = await staffUser(app, 'admin');
		const attacker = freshAddress();
		for (let i = 0; i < 10; i++) {
			const { outcome } = await signIn(user.email, `wrong-${i}`, { address: attacker });
			expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		}
		// From that client even the right password waits, and the message names no one.
		const blocked = await signIn(user.email, 'a-long-test-password', { address: attacker });
		expect(blocked.outcome).toMatchObject({ kind: 'fail', status: 429 });
		const generic = blocked.outcome.kind === 'fail' ? String(blocked.outcome.data.message) : '';
		expect(generic).not.toContain(user.email);
		expect(blocked.cookie).toBeUndefined();
		// The window expires: an administrator is never locked out for good.
		vi.setSystemTime(Date.now() + 16 * 60_000);
		const later = await signIn(user.email, 'a-long-test-password', { address: attacker });
		expect(later.outcome).toMatchObject({ kind: 'redirect', location: '/dashboard' });
	});

	it('never locks the account itself: guesses from elsewhere do not keep its owner out', async () => {
		const user = await staffUser(app, 'admin');
		// Attackers on many addresses, each with a full allowance of guesses.
		for (let a = 0; a < 3; a++) {
			const address = freshAddress();
			for (let i = 0; i < 11; i++) await signIn(user.email, `wrong-${a}-${i}`, { address });
		}
		const owner = await signIn(user.email, 'a-long-test-password');
		expect(owner.outcome).toMatchObject({ kind: 'redirect', location: '/dashboard' });
	});

	it('throttles one client trying many accounts', async () => {
		const address = freshAddress();
		for (let i = 0; i < 30; i++) await signIn(`someone${i}@test.hailong`, 'guess', { address });
		const { outcome } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password, { address });
		expect(outcome).toMatchObject({ kind: 'fail', status: 429 });
	});

	it('treats control characters in the address as a failed sign-in, not a server error', async () => {
		const { outcome } = await signIn('admin\u0000@test.hailong', 'whatever');
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
	});

	it('refuses a disabled account with the generic message', async () => {
		const user = await staffUser(app, 'analyst');
		await app.db.query({
			text: 'update users set disabled_at = now() where id = $1',
			values: [user.id]
		});
		const { outcome, cookie } = await signIn(user.email, 'a-long-test-password');
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect(cookie).toBeUndefined();
	});

	it('drops a session planted before sign-in and issues a new one', async () => {
		const victim = await staffUser(app, 'manager', 'AG.LX');
		const planted = generateSessionToken();
		await createSession(app.db, planted, victim.id);
		const { cookie } = await signIn(victim.email, 'a-long-test-password', { token: planted });
		expect(cookie).toBeTruthy();
		expect(cookie).not.toBe(planted);
		expect(await validateSessionToken(app.db, planted)).toBeNull();
		expect(await validateSessionToken(app.db, cookie!)).not.toBeNull();
	});

	it.each(['//evil.example', '/\\evil.example', 'javascript:alert(1)', 'https://evil.example'])(
		'never follows redirectTo=%s off the site',
		async (target) => {
			const query = `?${new URLSearchParams({ redirectTo: target })}`;
			const { outcome } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password, { query });
			expect(outcome).toMatchObject({ kind: 'redirect', location: '/dashboard' });
		}
	);

	it('follows a same-site redirectTo', async () => {
		const query = `?${new URLSearchParams({ redirectTo: '/admin/users?x=1' })}`;
		const { outcome } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password, { query });
		expect(outcome).toMatchObject({ kind: 'redirect', location: '/admin/users?x=1' });
	});

	it('sends a signed-in visitor of the sign-in page to their home', async () => {
		const clerk = await staffUser(app, 'clerk', 'AG.LX');
		const outcome = await run(load, { user: clerk, path: '/login?redirectTo=//evil.example' });
		expect(outcome).toMatchObject({ kind: 'redirect', location: '/entry' });
	});
});

describe('sign-out', () => {
	it('ends the session, audits it, and the old cookie is no session afterwards', async () => {
		const { cookie } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
		const { outcome } = await call(logout, { path: '/logout', method: 'POST' }, cookie);
		expect(outcome).toMatchObject({ kind: 'redirect', location: '/login' });
		expect(await validateSessionToken(app.db, cookie!)).toBeNull();
		const entries = await listAudit(app.db, { action: 'sign_out', actor: TEST_ADMIN.email });
		expect(entries.length).toBeGreaterThan(0);
	});
});

describe('sign-in with a second factor', () => {
	async function enrolled() {
		const user = await staffUser(app, 'analyst');
		const key = generateTotpKey();
		await setTotpKey(app.db, user.id, key);
		return { user, key };
	}

	it('asks for the code before the session counts, refuses a wrong one and accepts the right one', async () => {
		const { user, key } = await enrolled();
		const query = `?${new URLSearchParams({ redirectTo: '/dashboard?unit=AG.LX' })}`;
		const { outcome, cookie } = await signIn(user.email, 'a-long-test-password', { query });
		expect(outcome).toMatchObject({
			kind: 'redirect',
			location: `/login/totp${query}`
		});
		const pending = await validateSessionToken(app.db, cookie!);
		expect(pending?.session.twoFactorVerified).toBe(false);
		expect(pending?.user.mfaEnrolled).toBe(true);

		const page = await call(totpLoad, { path: '/login/totp' }, cookie);
		expect(page.outcome.kind).toBe('ok');

		const right = generateTOTP(key, 30, 6);
		const wrongCode = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
		const wrong = await call(
			totpActions.default!,
			{ path: `/login/totp${query}`, form: { code: wrongCode } },
			cookie
		);
		expect(wrong.outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect((await validateSessionToken(app.db, cookie!))?.session.twoFactorVerified).toBe(false);

		const ok = await call(
			totpActions.default!,
			{ path: `/login/totp${query}`, form: { code: right } },
			cookie
		);
		expect(ok.outcome).toMatchObject({ kind: 'redirect', location: '/dashboard?unit=AG.LX' });
		expect((await validateSessionToken(app.db, cookie!))?.session.twoFactorVerified).toBe(true);
		const audited = await listAudit(app.db, { action: 'sign_in', actor: user.email });
		expect(audited[0]?.detail).toMatchObject({ secondFactor: 'totp' });
	});

	it('takes each code once: the same code in a second session is refused', async () => {
		const { user, key } = await enrolled();
		const code = generateTOTP(key, 30, 6);
		const first = await signIn(user.email, 'a-long-test-password');
		const used = await call(
			totpActions.default!,
			{ path: '/login/totp', form: { code } },
			first.cookie
		);
		expect(used.outcome).toMatchObject({ kind: 'redirect' });
		const second = await signIn(user.email, 'a-long-test-password');
		const replay = await call(
			totpActions.default!,
			{ path: '/login/totp', form: { code } },
			second.cookie
		);
		expect(replay.outcome).toMatchObject({ kind: 'fail', status: 400 });
		expect((await validateSessionToken(app.db, second.cookie!))?.session.twoFactorVerified).toBe(
			false
		);
	});

	it('throttles guessing the code', async () => {
		const { user, key } = await enrolled();
		const { cookie } = await signIn(user.email, 'a-long-test-password');
		const right = generateTOTP(key, 30, 6);
		const wrongCode = String((Number(right) + 7) % 1_000_000).padStart(6, '0');
		for (let i = 0; i < 10; i++) {
			await call(totpActions.default!, { path: '/login/totp', form: { code: wrongCode } }, cookie);
		}
		const blocked = await call(
			totpActions.default!,
			{ path: '/login/totp', form: { code: right } },
			cookie
		);
		expect(blocked.outcome).toMatchObject({ kind: 'fail', status: 429 });
		expect((await validateSessionToken(app.db, cookie!))?.session.twoFactorVerified).toBe(false);
	});

	it('sends someone without a pending second factor away from the code page', async () => {
		const { cookie } = await signIn(TEST_ADMIN.email, TEST_ADMIN.password);
		const signedOut = await call(totpLoad, { path: '/login/totp' });
		const noFactor = await call(totpLoad, { path: '/login/totp' }, cookie);
		expect(signedOut.outcome).toMatchObject({ kind: 'redirect', location: '/login' });
		expect(noFactor.outcome).toMatchObject({ kind: 'redirect', location: '/dashboard' });
	});
});
