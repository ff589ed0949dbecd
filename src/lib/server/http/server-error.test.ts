import type { Handle, RequestEvent } from '@sveltejs/kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestApp } from '$tests/helpers/test-app';
import { handleError } from '../../../hooks.server';
import type { App } from '$lib/server/app';
import { sql } from '$lib/server/db';
import { apiErrors } from '$lib/server/http/body';
import { bodyLimit, locale, rejectNul, securityHeaders, session } from '$lib/server/http/handles';
import { apiServerErrors } from '$lib/server/http/server-error';

let app: App;
beforeAll(async () => {
	app = await startTestApp();
});
afterAll(() => app.db.close());

let logged: string[];
beforeEach(() => {
	logged = [];
	vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
});
afterEach(() => vi.restoreAllMocks());

const MESSAGE =
	/^Lỗi hệ thống, xin thử lại sau\. Mã lỗi: ([0-9a-f]{8}) \/ Server error, please try again later\. Error id: \1$/;
// What a failing query would give away: the SQL, the table and column, a value, the code's files.
const LEAKS = ['select', 'no_such_table', 'password_hash', '0912345678', ' at ', '.ts', '/src/'];

type Route = (event: RequestEvent) => Promise<Response>;

function eventFor(path: string, routeId: string, headers: Record<string, string> = {}) {
	const url = new URL(path, 'http://localhost');
	return {
		url,
		route: { id: routeId },
		request: new Request(url, { headers }),
		locals: {} as App.Locals,
		cookies: { get: () => undefined, set: () => {}, delete: () => {} },
		getClientAddress: () => '192.0.2.60'
	} as unknown as RequestEvent;
}

/**
 * What SvelteKit does with an exception from a load, action or endpoint: it asks handleError for
 * the body, then answers JSON when the client accepts it and its error page otherwise (the page
 * shows `error.message` and nothing else).
 */
function asSvelteKitRuns(route: Route): Route {
	return async (event) => {
		try {
			return await route(event);
		} catch (error) {
			const body = await handleError({ error, event, status: 500, message: 'Internal Error' });
			const accept = event.request.headers.get('accept') ?? 'text/html';
			if (accept.includes('application/json') || accept.includes('*/*')) {
				return Response.json(body, { status: 500 });
			}
			const page = `<!doctype html><h1>500</h1><p>${escapeHtml(body?.message ?? '')}</p>`;
			return new Response(page, { status: 500, headers: { 'content-type': 'text/html' } });
		}
	};
}

function escapeHtml(text: string) {
	return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A route whose query fails in the database, with a phone number among its parameters. */
const failingQuery: Route = async () => {
	await app.db.query(
		sql`select password_hash from no_such_table where phone = ${'0912345678'} limit 1`
	);
	return new Response('unreachable');
};

// The order of `sequence(…)` in hooks.server.ts.
const HANDLES: Handle[] = [securityHeaders, apiServerErrors, bodyLimit, rejectNul, locale, session];

async function send(event: RequestEvent, route: Route) {
	const run = HANDLES.reduceRight<Route>(
		(next, handle) => async (e) => handle({ event: e, resolve: (e2) => next(e2) }),
		asSvelteKitRuns(route)
	);
	const response = await run(event);
	return { response, body: await response.text() };
}

function expectNoLeak(body: string) {
	for (const leak of LEAKS) expect(body.toLowerCase(), leak).not.toContain(leak);
}

describe('unexpected errors', () => {
	it('a failing page answers a generic Vietnamese message with an error id, and logs the cause under it', async () => {
		const event = eventFor('/s/ABC123', '/(respond)/s/[code]');
		const { response, body } = await send(event, failingQuery);
		expect(response.status).toBe(500);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const message = body.match(/<p>(.*)<\/p>/)?.[1] ?? '';
		const id = message.match(MESSAGE)?.[1];
		expect(id, message).toBeDefined();
		expectNoLeak(body);
		expect(logged).toHaveLength(1);
		expect(logged[0]).toContain(` ERROR unhandled error id="${id}" method="GET" path="/s/ABC123"`);
		expect(logged[0]).toContain('no_such_table');
		expect(logged[0]).toContain('"stack":');
		expect(logged[0]).not.toContain('0912345678');
	});

	it('a failing API endpoint answers the API error shape, whatever the client accepts', async () => {
		for (const accept of ['application/json', 'text/html', '*/*']) {
			const event = eventFor('/api/v1/results?survey=x', '/api/v1/results', { accept });
			const { response, body } = await send(event, failingQuery);
			expect(response.status, accept).toBe(500);
			expect(response.headers.get('content-type'), accept).toMatch(/^application\/json/);
			expect(response.headers.get('cache-control'), accept).toBe('no-store');
			const json = JSON.parse(body) as { errors: { path: string; message: string }[] };
			expect(json.errors, accept).toHaveLength(1);
			expect(json.errors[0]?.path).toBe('');
			const id = json.errors[0]?.message.match(MESSAGE)?.[1];
			expect(id, accept).toBeDefined();
			expect(logged.at(-1)).toContain(`id="${id}"`);
			expectNoLeak(body);
		}
	});

	it('a handle that throws before the endpoint (the session lookup) gets the same API answer', async () => {
		const event = eventFor('/api/v1/touchpoints', '/api/v1/touchpoints');
		const response = await apiServerErrors({
			event,
			resolve: async () => {
				throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (postgres://hailong:s3cret@db)');
			}
		});
		expect(response.status).toBe(500);
		const body = await response.text();
		expect(JSON.parse(body).errors[0].message).toMatch(MESSAGE);
		for (const leak of ['ECONNREFUSED', '10.0.0.5', 's3cret']) expect(body).not.toContain(leak);
		expect(logged[0]).toContain('ECONNREFUSED');
	});

	it("leaves an endpoint's own error answers alone", async () => {
		const event = eventFor('/api/v1/responses', '/api/v1/responses');
		const own = () =>
			Promise.resolve(apiErrors(503, [{ path: '', message: 'Tạm thời chưa lưu được' }]));
		const { response, body } = await send(event, own);
		expect(response.status).toBe(503);
		expect(JSON.parse(body)).toEqual({
			errors: [{ path: '', message: 'Tạm thời chưa lưu được' }]
		});
		expect(logged).toHaveLength(0);
	});

	it.each([
		{
			status: 404,
			message: 'Not Found',
			cause: 'Not found: /nowhere',
			says: 'Không tìm thấy trang / Not found'
		},
		{
			status: 405,
			message: 'Method Not Allowed',
			cause: 'POST method not allowed. No form actions exist for this page',
			says: 'Yêu cầu không hợp lệ / Invalid request'
		}
	])(
		'says "$says" for $status without logging it as a failure',
		async ({ cause, says, ...kit }) => {
			const event = eventFor('/nowhere', '/nowhere');
			expect(await handleError({ error: new Error(cause), event, ...kit })).toEqual({
				message: says
			});
			expect(logged).toHaveLength(0);
			expect(event.locals.failure).toBeUndefined();
		}
	);
});
