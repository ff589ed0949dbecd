import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';

// HTTP-level checks of the staff side on the built server, hooks included: no browser needed.
const baseURL = `http://localhost:${process.env.E2E_PORT ?? 4173}`;

/** A fresh client (its own cookie jar) whose form posts carry our Origin, as a browser's do. */
async function client(): Promise<APIRequestContext> {
	return request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
}

async function signIn(
	api: APIRequestContext,
	email: string,
	password: string,
	redirectTo?: string
) {
	const query = redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : '';
	return api.post(`/login${query}`, {
		form: { email, password },
		maxRedirects: 0,
		headers: { accept: 'text/html' }
	});
}

function sessionCookie(api: APIRequestContext) {
	return api.storageState().then((s) => s.cookies.find((c) => c.name === 'session')?.value);
}

test('every page carries the security headers; staff pages are never cached', async () => {
	const api = await client();
	const touchpointsBefore = await api.get('/api/v1/touchpoints');
	expect(touchpointsBefore.status()).toBe(401);
	await signIn(api, E2E_ADMIN.email, E2E_ADMIN.password);
	const [tp] = (await (await api.get('/api/v1/touchpoints')).json()) as { code: string }[];
	const pages = [`/s/${tp!.code}`, '/dashboard', '/touchpoints', '/admin/audit', '/nowhere'];
	const anonymous = await client();
	const checks = [
		{ path: '/login', response: await anonymous.get('/login') },
		...(await Promise.all(pages.map(async (path) => ({ path, response: await api.get(path) }))))
	];
	for (const { path, response } of checks) {
		expect(response.headers()['content-type'], path).toMatch(/^text\/html/);
		const h = response.headers();
		const csp = h['content-security-policy'] ?? '';
		expect(csp, path).toContain("object-src 'none'");
		expect(csp, path).toContain("base-uri 'none'");
		expect(csp, path).toContain("frame-ancestors 'none'");
		expect(csp, path).not.toContain('unsafe-inline');
		expect(h['x-content-type-options'], path).toBe('nosniff');
		expect(h['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
		if (!path.startsWith('/s/') && path !== '/nowhere') {
			expect(h['cache-control'], path).toBe('no-store');
		}
	}
	await anonymous.dispose();
	await api.dispose();
});

test('sign-in sets an HttpOnly SameSite=Lax cookie, follows only same-origin paths and rotates the session', async () => {
	const api = await client();
	for (const evil of [
		'//evil.example',
		'/\\evil.example',
		'javascript:alert(1)',
		'https://evil.example/'
	]) {
		const response = await signIn(api, E2E_ADMIN.email, E2E_ADMIN.password, evil);
		expect(response.status(), evil).toBe(303);
		expect(response.headers()['location'], evil).toBe('/dashboard');
	}
	const first = await sessionCookie(api);
	const setCookie = (
		await signIn(api, E2E_ADMIN.email, E2E_ADMIN.password, '/touchpoints')
	).headers()['set-cookie'];
	expect(setCookie).toMatch(/HttpOnly/i);
	expect(setCookie).toMatch(/SameSite=Lax/i);
	const second = await sessionCookie(api);
	expect(second).toBeTruthy();
	expect(second).not.toBe(first);
	// The session presented at sign-in (possibly planted) is gone, not just replaced.
	const replay = await request.newContext({
		baseURL,
		extraHTTPHeaders: { cookie: `session=${first}` }
	});
	expect((await replay.get('/api/v1/touchpoints')).status()).toBe(401);
	await replay.dispose();
	await api.dispose();
});

test('after sign-out the old cookie opens nothing', async () => {
	const api = await client();
	await signIn(api, E2E_ADMIN.email, E2E_ADMIN.password);
	const token = await sessionCookie(api);
	expect((await api.get('/api/v1/touchpoints')).status()).toBe(200);
	await api.post('/logout', { maxRedirects: 0, headers: { accept: 'text/html' } });
	const replay = await request.newContext({
		baseURL,
		extraHTTPHeaders: { cookie: `session=${token}` }
	});
	expect((await replay.get('/api/v1/touchpoints')).status()).toBe(401);
	const page = await replay.get('/dashboard', { maxRedirects: 0 });
	expect(page.status()).toBe(303);
	expect(page.headers()['location']).toMatch(/^\/login/);
	await replay.dispose();
	await api.dispose();
});

test('a cross-site form post is refused before it reaches the app', async () => {
	const api = await request.newContext({
		baseURL,
		extraHTTPHeaders: { origin: 'https://evil.example' }
	});
	for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
		const response = await api.post('/login', {
			data: `email=${encodeURIComponent(E2E_ADMIN.email)}&password=x`,
			headers: { 'content-type': contentType },
			maxRedirects: 0
		});
		expect(response.status(), contentType).toBe(403);
	}
	await api.dispose();
});

test('a spoofed X-Forwarded-For or Host changes neither the throttled client nor the origin', async () => {
	// A server of its own: this test spends its client's allowance of wrong pairing codes.
	const port = 4397;
	const dir = mkdtempSync(join(tmpdir(), 'hailong-xff-'));
	const server = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: `http://localhost:${port}`,
			DATA_DIR: dir,
			DATABASE_URL: '',
			ADDRESS_HEADER: '',
			XFF_DEPTH: '',
			SEED_DEMO: '0',
			ADMIN_PASSWORD: 'xff-test-password',
			LOG_LEVEL: 'error'
		},
		stdio: 'ignore'
	});
	try {
		const base = `http://localhost:${port}`;
		const api = await request.newContext({ baseURL: base });
		await expect
			.poll(async () => (await api.get('/healthz').catch(() => null))?.status(), {
				timeout: 60_000
			})
			.toBe(200);
		const statuses: number[] = [];
		for (let i = 0; i < 11; i++) {
			const response = await api.post('/api/v1/devices/pair', {
				data: { code: 'ZZZZ-ZZZZ' },
				headers: { 'x-forwarded-for': `203.0.113.${i + 1}` }
			});
			statuses.push(response.status());
		}
		expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
		expect(statuses[10]).toBe(429);
		// With ORIGIN set, a forged Host does not make a foreign origin our own.
		const forged = await api.post('/login', {
			form: { email: 'admin@hailong.local', password: 'x' },
			headers: { host: 'evil.example', origin: 'http://evil.example' },
			maxRedirects: 0
		});
		expect(forged.status()).toBe(403);
		await api.dispose();
	} finally {
		server.kill('SIGTERM');
		await new Promise((done) => server.once('exit', done));
		rmSync(dir, { recursive: true, force: true });
	}
});

test('the kiosk shell tells a browser without JavaScript what to do; other pages carry no such note', async () => {
	const api = await client();
	const kiosk = await (await api.get('/kiosk')).text();
	expect(kiosk).toContain('<title>Hài Lòng — Máy đánh giá tại quầy</title>');
	expect(kiosk).toContain(
		'<noscript><p>Máy đánh giá tại quầy cần JavaScript. Vui lòng báo nhân viên bật JavaScript'
	);
	const english = await (await api.get('/kiosk?lang=en')).text();
	expect(english).toContain('<noscript><p>The counter tablet needs JavaScript.');
	const page = await (await api.get('/login')).text();
	expect(page).not.toContain('<noscript>');
	expect(page).not.toContain('%noscript%');
	await api.dispose();
});
