// Catalogue cases 33–40 and 48: staff sign-in and sessions — password guessing, planted and
// replayed sessions, cookie flags, cross-site writes, redirects, spoofed proxy headers, hashing.
import { expect } from 'vitest';
import svelteConfig from '../../svelte.config.js';
import {
	createSession,
	generateSessionToken,
	validateSessionToken,
	createUser
} from '../../src/lib/server/auth';
import { sql } from '../../src/lib/server/db';
import { RateLimiter } from '../../src/lib/server/http';
import { actions as passwordActions } from '../../src/routes/(staff)/account/password/+page.server';
import { actions as userActions } from '../../src/routes/(staff)/admin/users/[id]/+page.server';
import { GET as touchpointsApi } from '../../src/routes/api/v1/touchpoints/+server';
import { actions as loginActions } from '../../src/routes/login/+page.server';
import { POST as logout } from '../../src/routes/logout/+server';
import { TEST_ADMIN } from '../helpers/config';
import { staffUser } from '../helpers/staff';
import { send, signedIn, storesNothing, submission, type HostileCase } from './context';
import { api } from './doors';

/** The sign-in form, posted from `address`. */
const signIn = (
	email: string,
	password: string,
	address: string,
	{ path = '/login', cookies = {} as Record<string, string> } = {}
) =>
	send(loginActions.default!, {
		path,
		body: new URLSearchParams({ email, password }),
		address,
		cookies
	});

/** A cookie-authenticated JSON write to the API, as a page (or a forged one) would send it. */
const apiWrite = (token: string, body: unknown, headers: Record<string, string>) =>
	api(body, { headers, cookies: { session: token } });

const location = (reply: { location: string | null }) => reply.location;

export const signInCases: HostileCase[] = [
	{
		case: 33,
		title: 'password guessing is throttled per account and per client, audited, never a lockout',
		run: async (h) => {
			const victim = await staffUser(h.app, 'admin');
			const one: number[] = [];
			for (let i = 0; i < 100; i++)
				one.push((await signIn(victim.email, `wrong-${i}`, '203.0.113.33')).status);
			expect(one).toEqual([...Array(10).fill(400), ...Array(90).fill(429)]);
			const owner = await signIn(victim.email, 'a-long-test-password', '198.51.100.33');
			expect(location(owner)).toBe('/dashboard');
			const spray: number[] = [];
			for (let i = 0; i < 1000; i++)
				spray.push(
					(await signIn(`person${i}@test.hailong`, 'Matkhau@2026', '203.0.113.34')).status
				);
			expect(spray).toEqual([...Array(30).fill(400), ...Array(970).fill(429)]);
			const wrong = await signIn(TEST_ADMIN.email, 'not-it', '198.51.100.34');
			const unknown = await signIn('nobody@test.hailong', 'not-it', '198.51.100.35');
			expect(wrong.data.message).toBe(unknown.data.message);
			expect(wrong.data.message).toBe('Thư điện tử hoặc mật khẩu không đúng.');
			const audited = await h.app.db.query<{ reason: string; n: number }>(sql`
				select detail->>'reason' as reason, count(*)::int as n from audit_log
				where action = 'sign_in_failed' and client = '203.0.113.34' group by 1 order by 1`);
			expect(audited).toEqual([
				{ reason: 'throttled', n: 970 },
				{ reason: 'unknown_account', n: 30 }
			]);
		}
	},
	{
		case: 34,
		title: 'a session planted before sign-in is dropped; sign-in issues a new one',
		run: async (h) => {
			const victim = await staffUser(h.app, 'manager', 'AG.LX');
			const planted = generateSessionToken();
			await createSession(h.app.db, planted, victim.id);
			const reply = await signIn(victim.email, 'a-long-test-password', '198.51.100.36', {
				cookies: { session: planted }
			});
			const issued = reply.cookies.get('session')!.value;
			expect(issued).toBeTruthy();
			expect(issued).not.toBe(planted);
			expect(await validateSessionToken(h.app.db, planted)).toBeNull();
			expect(await validateSessionToken(h.app.db, issued)).not.toBeNull();
		}
	},
	{
		case: 35,
		title: 'a cookie replayed after logout is a 401; a password change and disabling end sessions',
		run: async (h) => {
			const session = await signedIn(h.app, 'manager', 'AG.LX');
			const touchpoints = () =>
				send(touchpointsApi, { path: '/api/v1/touchpoints', cookies: session.cookies });
			expect((await touchpoints()).status).toBe(200);
			const out = await send(logout, {
				path: '/logout',
				method: 'POST',
				cookies: session.cookies
			});
			expect([out.status, out.cookies.get('session')?.options.maxAge]).toEqual([303, 0]);
			expect((await touchpoints()).status).toBe(401);

			const user = await staffUser(h.app, 'analyst');
			const [here, there] = [generateSessionToken(), generateSessionToken()];
			for (const t of [here, there]) await createSession(h.app.db, t, user.id, true);
			const changed = await send(passwordActions.default!, {
				path: '/account/password',
				body: new URLSearchParams({
					current: 'a-long-test-password',
					password: 'another-long-password-2026',
					confirm: 'another-long-password-2026',
					endOthers: '1'
				}),
				cookies: { session: here }
			});
			expect(changed.status).toBe(200);
			expect(await validateSessionToken(h.app.db, there)).toBeNull();
			expect(await validateSessionToken(h.app.db, here)).not.toBeNull();

			const admin = await signedIn(h.app, 'admin');
			const disabled = await send(userActions.disable!, {
				path: `/admin/users/${user.id}`,
				params: { id: user.id },
				body: new URLSearchParams(),
				cookies: admin.cookies
			});
			expect(disabled.status).toBeLessThan(400);
			expect(await validateSessionToken(h.app.db, here)).toBeNull();
		}
	},
	{
		case: 36,
		title: 'the session cookie is __Host-, Secure, HttpOnly and SameSite, and never in a URL',
		run: async (h) => {
			const user = await staffUser(h.app, 'analyst');
			const reply = await signIn(user.email, 'a-long-test-password', '198.51.100.37', {
				path: 'https://hailong.example/login?redirectTo=/dashboard'
			});
			const cookie = reply.cookies.get('__Host-session');
			expect(cookie?.options).toMatchObject({
				httpOnly: true,
				secure: true,
				sameSite: 'lax',
				path: '/'
			});
			expect(cookie!.options).not.toHaveProperty('domain');
			expect(reply.location).toBe('/dashboard');
			expect(reply.location).not.toContain(cookie!.value);
		}
	},
	{
		case: 37,
		title:
			'a cross-site JSON or text/plain write with a staff cookie is a 403; forms keep the origin check',
		run: async (h) => {
			const { token } = await signedIn(h.app, 'admin');
			await storesNothing(h.app, async () => {
				for (const type of [
					'text/plain',
					'application/json',
					'application/x-www-form-urlencoded'
				]) {
					const forged = await apiWrite(token, submission(h.qr), {
						origin: 'https://evil.example',
						'content-type': type
					});
					expect(forged.status, type).toBe(403);
				}
				const plain = await apiWrite(token, submission(h.qr), {
					origin: 'http://localhost',
					'content-type': 'text/plain'
				});
				expect(plain.status).toBe(403);
			});
			// Form posts are checked by SvelteKit's own origin check, which must stay on.
			const csrf = (
				svelteConfig.kit as { csrf?: { checkOrigin?: boolean; trustedOrigins?: string[] } }
			).csrf;
			expect(csrf?.checkOrigin ?? true).toBe(true);
			expect(csrf?.trustedOrigins ?? []).toEqual([]);
		}
	},
	{
		case: 38,
		title:
			'a cookie-authenticated API write without an Origin is a 403; an anonymous one needs none',
		run: async (h) => {
			const { token } = await signedIn(h.app, 'admin');
			const missing = await storesNothing(h.app, () =>
				apiWrite(token, submission(h.qr), { 'content-type': 'application/json' })
			);
			expect(missing.status).toBe(403);
			const own = await apiWrite(token, submission(h.qr), {
				origin: 'http://localhost',
				'content-type': 'application/json'
			});
			expect(own.status).toBe(201);
			expect((await api(submission(h.qr))).status).toBe(201);
		}
	},
	{
		case: 39,
		title: 'redirectTo after sign-in follows same-site paths only',
		run: async (h) => {
			const user = await staffUser(h.app, 'analyst');
			const targets = [
				'//evil.example',
				'/\\evil.example',
				'javascript:alert(1)',
				'https://evil.example',
				'/\t/evil.example',
				'%2F%2Fevil.example'
			];
			for (const target of targets) {
				const query = `?${new URLSearchParams({ redirectTo: target })}`;
				const reply = await signIn(user.email, 'a-long-test-password', '198.51.100.39', {
					path: `/login${query}`
				});
				expect(location(reply), target).toBe('/dashboard');
			}
			const same = await signIn(user.email, 'a-long-test-password', '198.51.100.39', {
				path: `/login?${new URLSearchParams({ redirectTo: '/comments?unit=AG' })}`
			});
			expect(location(same)).toBe('/comments?unit=AG');
		}
	},
	{
		case: 40,
		title: 'spoofed X-Forwarded-For and Host move neither the rate-limit key nor the origin',
		run: async (h) => {
			const limit = h.app.limits.qr;
			h.app.limits.qr = new RateLimiter(2, 60_000);
			try {
				const statuses = [];
				for (let i = 0; i < 3; i++) {
					const reply = await api(submission(h.qr), {
						headers: { 'x-forwarded-for': `10.0.0.${i}`, 'x-real-ip': `10.0.1.${i}` },
						address: '203.0.113.40'
					});
					statuses.push(reply.status);
				}
				expect(statuses).toEqual([201, 201, 429]);
			} finally {
				h.app.limits.qr = limit;
			}
			const { token } = await signedIn(h.app, 'admin');
			const forged = await apiWrite(token, submission(h.qr), {
				host: 'evil.example',
				'x-forwarded-host': 'evil.example',
				origin: 'http://evil.example',
				'content-type': 'application/json'
			});
			expect(forged.status).toBe(403);
		}
	},
	{
		case: 48,
		title:
			'passwords are argon2id (m=19456, t=2, p=1); 64 characters work, 1000 are refused cleanly',
		run: async (h) => {
			const long = 'Mật-khẩu-rất-dài-'.padEnd(64, 'x');
			const email = `long.${Date.now()}@test.hailong`;
			const id = await createUser(h.app.db, {
				email,
				password: long,
				role: 'analyst',
				unitCode: null
			});
			const [row] = await h.app.db.query<{ hash: string }>(
				sql`select password_hash as hash from users where id = ${id}`
			);
			expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
			expect(location(await signIn(email, long, '198.51.100.48'))).toBe('/dashboard');
			const huge = await signIn(email, 'x'.repeat(1000), '198.51.100.49');
			expect([huge.status, huge.data.message]).toEqual([
				400,
				'Thư điện tử hoặc mật khẩu không đúng.'
			]);
			const session = await signIn(email, long, '198.51.100.48');
			const change = await send(passwordActions.default!, {
				path: '/account/password',
				body: new URLSearchParams({
					current: long,
					password: 'y'.repeat(1000),
					confirm: 'y'.repeat(1000)
				}),
				cookies: { session: session.cookies.get('session')!.value }
			});
			expect([change.status, Object.keys(change.data.errors)]).toEqual([400, ['password']]);
		}
	}
];
