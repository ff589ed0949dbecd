import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import {
	createApiToken,
	revokeApiToken,
	createSession,
	generateSessionToken,
	type SessionUser
} from '$lib/server/auth';
import { sql } from '$lib/server/db';
import { bodyLimit, locale, rejectNul, securityHeaders, session } from '$lib/server/http/handles';

let app: App;
beforeAll(async () => {
	app = await startTestApp();
});
afterAll(() => app.db.close());

interface Sent {
	path: string;
	method?: string;
	routeId?: string | null;
	cookies?: Record<string, string>;
	headers?: Record<string, string>;
	body?: string;
	origin?: string;
}

/** Runs a request through the hooks; `resolve` stands for the route and answers a small page. */
async function send(input: Sent) {
	const url = new URL(input.path, input.origin ?? 'http://localhost');
	const jar = new Map(Object.entries(input.cookies ?? {}));
	let seen: App.Locals | null = null;
	const event = {
		url,
		route: { id: input.routeId ?? null },
		request: new Request(url, {
			method: input.method ?? 'GET',
			headers: input.headers,
			body: input.body
		}),
		locals: {} as App.Locals,
		cookies: {
			get: (name: string) => jar.get(name),
			set: (name: string, value: string) => void jar.set(name, value),
			delete: (name: string) => void jar.delete(name)
		},
		getClientAddress: () => '192.0.2.50'
	};
	const page = async (e: typeof event) => {
		seen = { ...e.locals };
		return new Response('<!doctype html><p>ok</p>', {
			headers: {
				'content-type': 'text/html',
				'content-security-policy': "default-src 'self'; object-src 'none'; base-uri 'none'"
			}
		});
	};
	// The order of `sequence(securityHeaders, locale, session)` in hooks.server.ts.
	const response = await securityHeaders({
		event: event as never,
		resolve: (e) =>
			locale({
				event: e,
				resolve: (e2) => session({ event: e2, resolve: (e3) => page(e3 as never) })
			})
	});
	return { response, locals: seen as App.Locals | null };
}

async function sessionFor(user: SessionUser, verified = false) {
	const token = generateSessionToken();
	await createSession(app.db, token, user.id, verified);
	return token;
}

describe('security headers', () => {
	it('puts the same protective headers on every response', async () => {
		const { response } = await send({ path: '/s/abc', routeId: '/(respond)/s/[code]' });
		const h = response.headers;
		expect(h.get('x-content-type-options')).toBe('nosniff');
		expect(h.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(h.get('x-frame-options')).toBe('DENY');
		expect(h.get('content-security-policy')).toBe(
			"default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
		);
		expect(h.get('strict-transport-security')).toBeNull();
		expect(h.get('cache-control')).toBeNull();
	});

	it('adds HSTS for a year over https', async () => {
		const { response } = await send({ path: '/', origin: 'https://hailong.angiang.gov.vn' });
		expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
	});

	it('keeps staff pages and the sign-in page out of caches', async () => {
		for (const [path, routeId] of [
			['/dashboard', '/(staff)/dashboard'],
			['/login', '/login']
		] as const) {
			const { response } = await send({ path, routeId });
			expect(response.headers.get('cache-control')).toBe('no-store');
		}
	});
});

describe('sessions in the hooks', () => {
	it('reads the session cookie, and over https only the __Host- one', async () => {
		const user = await staffUser(app, 'analyst');
		const token = await sessionFor(user);
		const plain = await send({ path: '/dashboard', cookies: { session: token } });
		expect(plain.locals?.user?.id).toBe(user.id);
		const https = 'https://hailong.angiang.gov.vn';
		const wrongName = await send({
			path: '/dashboard',
			origin: https,
			cookies: { session: token }
		});
		expect(wrongName.locals?.user).toBeNull();
		const hosted = await send({
			path: '/dashboard',
			origin: https,
			cookies: { '__Host-session': token }
		});
		expect(hosted.locals?.user?.id).toBe(user.id);
	});

	it('sends a user who owes a password change to that page and nowhere else', async () => {
		const user = await staffUser(app, 'manager', 'AG.LX');
		await app.db.query(sql`update users set must_change_password = true where id = ${user.id}`);
		const token = await sessionFor(user);
		const page = await send({ path: '/dashboard', cookies: { session: token } });
		expect(page.response.status).toBe(303);
		expect(page.response.headers.get('location')).toBe('/account/password');
		const gate = await send({ path: '/account/password', cookies: { session: token } });
		expect(gate.response.status).toBe(200);
		const api = await send({ path: '/api/v1/touchpoints', cookies: { session: token } });
		expect(api.locals?.user).toBeNull();
	});

	it('asks for the second factor before anything else when the user has one', async () => {
		const user = await staffUser(app, 'analyst');
		await app.db.query(sql`update users set totp_key = '\\x00' where id = ${user.id}`);
		const unverified = await sessionFor(user, false);
		const page = await send({ path: '/dashboard', cookies: { session: unverified } });
		expect(page.response.headers.get('location')).toBe('/login/totp');
		// A password alone must not reach the pages that change the password or the second factor.
		for (const path of ['/account/password', '/account/mfa']) {
			const gated = await send({ path, cookies: { session: unverified } });
			expect(gated.response.headers.get('location'), path).toBe('/login/totp');
		}
		const gate = await send({ path: '/login/totp', cookies: { session: unverified } });
		expect(gate.response.status).toBe(200);
		const verified = await sessionFor(user, true);
		expect(
			(await send({ path: '/dashboard', cookies: { session: verified } })).response.status
		).toBe(200);
	});

	it('makes admins enrol a second factor when REQUIRE_ADMIN_MFA=1', async () => {
		const admin = await staffUser(app, 'admin');
		const token = await sessionFor(admin);
		app.config.REQUIRE_ADMIN_MFA = '1';
		try {
			const page = await send({ path: '/admin/users', cookies: { session: token } });
			expect(page.response.headers.get('location')).toBe('/account/mfa');
			const analyst = await staffUser(app, 'analyst');
			const other = await send({
				path: '/dashboard',
				cookies: { session: await sessionFor(analyst) }
			});
			expect(other.response.status).toBe(200);
		} finally {
			app.config.REQUIRE_ADMIN_MFA = '0';
		}
	});

	it('refuses cookie-authenticated JSON calls from another origin or without a JSON type', async () => {
		const user = await staffUser(app, 'admin');
		const token = await sessionFor(user);
		const call = (headers: Record<string, string>) =>
			send({
				path: '/api/v1/anything',
				method: 'POST',
				cookies: { session: token },
				headers,
				body: '{}'
			});
		const foreign = await call({
			origin: 'https://evil.example',
			'content-type': 'application/json'
		});
		expect(foreign.response.status).toBe(403);
		const textPlain = await call({ origin: 'http://localhost', 'content-type': 'text/plain' });
		expect(textPlain.response.status).toBe(403);
		const noOrigin = await call({ 'content-type': 'application/json' });
		expect(noOrigin.response.status).toBe(403);
		const own = await call({ origin: 'http://localhost', 'content-type': 'application/json' });
		expect(own.response.status).toBe(200);
	});
});

describe('API tokens in the hooks', () => {
	it('identify their owner on GET, never on a write, and stop when revoked', async () => {
		const analyst = await staffUser(app, 'analyst');
		const { id, token } = await createApiToken(app.db, analyst.id, 'Power BI');
		const bearer = { authorization: `Bearer ${token}` };
		const read = await send({ path: '/api/v1/results?survey=x', headers: bearer });
		expect(read.locals?.user?.id).toBe(analyst.id);
		expect(read.locals?.viaToken).toBe(true);
		const write = await send({
			path: '/api/v1/responses',
			method: 'POST',
			headers: { ...bearer, 'content-type': 'application/json' },
			body: '{}'
		});
		expect(write.response.status).toBe(401);
		// Outside the API a token means nothing.
		expect((await send({ path: '/dashboard', headers: bearer })).locals?.user).toBeNull();
		await revokeApiToken(app.db, analyst.id, id);
		expect((await send({ path: '/api/v1/results', headers: bearer })).response.status).toBe(401);
	});

	it('stop when the owner is disabled or no longer holds a role that may have them', async () => {
		const analyst = await staffUser(app, 'analyst');
		const { token } = await createApiToken(app.db, analyst.id, 'Excel');
		const bearer = { authorization: `Bearer ${token}` };
		await app.db.query(
			sql`update users set role = 'clerk', unit_code = 'AG.LX' where id = ${analyst.id}`
		);
		expect((await send({ path: '/api/v1/results', headers: bearer })).response.status).toBe(401);
		await app.db.query(
			sql`update users set role = 'analyst', unit_code = null, disabled_at = now() where id = ${analyst.id}`
		);
		expect((await send({ path: '/api/v1/results', headers: bearer })).response.status).toBe(401);
		const guessed = { authorization: `Bearer hl_${'a'.repeat(32)}` };
		expect((await send({ path: '/api/v1/results', headers: guessed })).response.status).toBe(401);
	});
});

describe('body size limit', () => {
	/** Posts `size` bytes, streamed without a declared length when `chunked`. */
	async function post(path: string, size: number, chunked: boolean) {
		const bytes = new Uint8Array(size).fill(120);
		const body = chunked
			? new ReadableStream({
					start(controller) {
						for (let i = 0; i < size; i += 65536) controller.enqueue(bytes.slice(i, i + 65536));
						controller.close();
					}
				})
			: bytes;
		const url = new URL(path, 'http://localhost');
		const event = {
			url,
			request: new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit)
		};
		let received = -1;
		const response = await bodyLimit({
			event: event as never,
			resolve: async (e) => {
				received = (await e.request.arrayBuffer()).byteLength;
				return new Response('ok');
			}
		});
		return { status: response.status, received, connection: response.headers.get('connection') };
	}

	it('refuses a form over 512 KiB before it is read, declared or streamed, and closes the connection', async () => {
		for (const streamed of [false, true]) {
			expect(await post('/s/abc', 600_000, streamed)).toEqual({
				status: 413,
				received: -1,
				connection: 'close'
			});
		}
	});

	it('passes smaller bodies on whole, streamed ones included', async () => {
		expect(await post('/s/abc', 300_000, false)).toMatchObject({ status: 200, received: 300_000 });
		expect(await post('/s/abc', 300_000, true)).toMatchObject({ status: 200, received: 300_000 });
	});

	it('lets the two upload pages take up to 6 MiB', async () => {
		expect((await post('/entry/import', 5_000_000, true)).received).toBe(5_000_000);
		expect((await post('/admin/units', 7_000_000, false)).status).toBe(413);
	});
});

describe('NUL bytes', () => {
	async function through(path: string, body?: string) {
		const url = new URL(path, 'http://localhost');
		const request = body
			? new Request(url, {
					method: 'POST',
					body,
					headers: { 'content-type': 'application/x-www-form-urlencoded' }
				})
			: new Request(url);
		let reached = false;
		const response = await rejectNul({
			event: { url, request } as never,
			resolve: async (e) => {
				reached = true;
				// The body is still there for the action to read.
				if (body) expect(await e.request.text()).toBe(body);
				return new Response('ok');
			}
		});
		return { status: response.status, reached };
	}

	it('answers 400 for one in the path, the query or a staff form, before any route runs', async () => {
		expect(await through('/touchpoints/%00/poster')).toEqual({ status: 400, reached: false });
		expect(await through('/admin/audit?actor=a%00b')).toEqual({ status: 400, reached: false });
		expect(await through('/account/tokens?/create', 'name=BI%00')).toEqual({
			status: 400,
			reached: false
		});
	});

	it('lets ordinary requests through, and leaves the survey form to its own messages', async () => {
		expect(await through('/admin/audit?actor=an%40x.vn')).toEqual({ status: 200, reached: true });
		expect(await through('/account/tokens?/create', 'name=Power+BI')).toEqual({
			status: 200,
			reached: true
		});
		expect(await through('/s/abc', 'comment=a%00b')).toEqual({ status: 200, reached: true });
	});
});
