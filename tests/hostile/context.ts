// What the hostile-input tables share: one app with a survey of every question type, and a way
// to send a request through the same hooks as the server, then through a real route handler.
import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import { expect } from 'vitest';
import { handleError } from '../../src/hooks.server';
import type { App } from '../../src/lib/server/app';
import { sql } from '../../src/lib/server/db';
import { createSession, generateSessionToken, type SessionUser } from '../../src/lib/server/auth';
import { devices, type Touchpoint } from '../../src/lib/server/touchpoints';
import {
	bodyLimit,
	compressPages,
	locale,
	rejectNul,
	securityHeaders,
	session,
	apiServerErrors
} from '../../src/lib/server/http';
import { numbersSurvey } from '../helpers/fixtures';
import { touchpointAt } from '../helpers/responses';
import { staffUser } from '../helpers/staff';
import { addSurvey, startTestApp } from '../helpers/test-app';

/** The numbers survey with a 500-character comment and an offer to leave a name and phone. */
export const hostileSurvey = (() => {
	const def = structuredClone(numbersSurvey) as typeof numbersSurvey & {
		contact?: { purpose: { vi: string; en: string } };
	};
	def.id = 'test-hostile';
	const comment = def.sections[0]!.questions.find((q) => q.id === 'comment') as {
		maxLength: number;
	};
	comment.maxLength = 500;
	def.contact = { purpose: { vi: 'Để cơ quan liên hệ lại', en: 'So the agency can reply' } };
	return def;
})();

/** One numbered case of the catalogue, proved end to end. */
export interface HostileCase {
	case: number;
	title: string;
	run: (h: Hostile) => Promise<void>;
}

export interface Hostile {
	app: App;
	/** A QR touchpoint and a kiosk touchpoint of `test-hostile` at AG.LX. */
	qr: Touchpoint;
	kiosk: Touchpoint;
}

export async function openHostile(): Promise<Hostile> {
	const app = await startTestApp();
	await addSurvey(app, hostileSurvey);
	return {
		app,
		qr: await touchpointAt(app, 'test-hostile', 'AG.LX'),
		kiosk: await touchpointAt(app, 'test-hostile', 'AG.LX', 'kiosk')
	};
}

/** Rows in the tables the catalogue says must not grow. */
export async function stored(app: App) {
	const [row] = await app.db.query<{ responses: number; contacts: number; cases: number }>(sql`
		select (select count(*)::int from responses) as responses,
			(select count(*)::int from response_contacts) as contacts,
			(select count(*)::int from follow_up_cases) as cases`);
	return row!;
}

/** Runs `act` and checks that it stored nothing anywhere. */
export async function storesNothing<T>(app: App, act: () => Promise<T>): Promise<T> {
	const before = await stored(app);
	const result = await act();
	expect(await stored(app)).toEqual(before);
	return result;
}

export interface Sent {
	path: string;
	method?: string;
	headers?: Record<string, string>;
	body?: BodyInit;
	cookies?: Record<string, string>;
	/** What the adapter says the client's address is. */
	address?: string;
	params?: Record<string, string>;
	routeId?: string | null;
	/** Leave the response body unread (a download to stream). */
	unread?: boolean;
}

export interface Reply {
	status: number;
	headers: Headers;
	location: string | null;
	/** The JSON of an endpoint, or the data of an action or load (a `fail()`'s included). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data: any;
	/** Cookies the hooks or the route set, with their options. */
	cookies: Map<string, { value: string; options: Record<string, unknown> }>;
	response: Response;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Route = (event: any) => unknown;

/**
 * The handles of hooks.server.ts, in its order (SvelteKit's `sequence` itself needs the server
 * runtime); the catalogue test checks the two lists agree.
 */
export const hooks = {
	compressPages,
	securityHeaders,
	apiServerErrors,
	bodyLimit,
	rejectNul,
	locale,
	session
};

/**
 * Sends one request as the server would handle it: the hooks, then the route handler. Endpoints
 * answer their Response; a form action's `fail()`, redirect or error becomes its status, and an
 * unexpected exception the 500 of handleError.
 */
export async function send(route: Route, input: Sent): Promise<Reply> {
	const url = new URL(input.path, 'http://localhost');
	const jar = new Map(Object.entries(input.cookies ?? {}));
	const setCookies: Reply['cookies'] = new Map();
	let data: unknown = null;
	const event = {
		url,
		params: input.params ?? {},
		route: { id: input.routeId ?? null },
		request: new Request(url, {
			method: input.method ?? (input.body === undefined ? 'GET' : 'POST'),
			headers: input.headers,
			body: input.body,
			duplex: 'half'
		} as RequestInit),
		locals: {} as App.Locals,
		cookies: {
			get: (name: string) => jar.get(name),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string, options: Record<string, unknown> = {}) => {
				jar.set(name, value);
				setCookies.set(name, { value, options });
			},
			delete: (name: string, options: Record<string, unknown> = {}) => {
				jar.delete(name);
				setCookies.set(name, { value: '', options: { ...options, maxAge: 0 } });
			},
			serialize: () => ''
		},
		getClientAddress: () => input.address ?? '192.0.2.10',
		setHeaders: () => {},
		fetch
	};
	const reachRoute = async (e: typeof event): Promise<Response> => {
		try {
			const result = await route(e);
			if (result instanceof Response) return result;
			data = isActionFailure(result) ? result.data : (result ?? {});
			return new Response(null, { status: isActionFailure(result) ? result.status : 200 });
		} catch (thrown) {
			if (isRedirect(thrown)) {
				return new Response(null, {
					status: thrown.status,
					headers: { location: thrown.location }
				});
			}
			if (isHttpError(thrown)) {
				data = thrown.body;
				return new Response(null, { status: thrown.status });
			}
			// Anything else is what SvelteKit hands to handleError: a 500 with its message.
			data = await handleError({ error: thrown, event: e as never, status: 500, message: '' });
			return new Response(null, { status: 500 });
		}
	};
	const chain = Object.values(hooks);
	const through = (i: number, e: typeof event): Promise<Response> =>
		i === chain.length
			? reachRoute(e)
			: Promise.resolve(
					chain[i]!({ event: e as never, resolve: (next) => through(i + 1, next as never) })
				);
	const response = await through(0, event);
	if (input.unread) data = null;
	else if ((response.headers.get('content-type') ?? '').includes('json'))
		data = await response.json();
	else if (data === null && response.body) data = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		location: response.headers.get('location'),
		data,
		cookies: setCookies,
		response
	};
}

/** A JSON body for POST /api/v1/responses, valid unless overridden. */
export function submission(touchpoint: Touchpoint, overrides: Record<string, unknown> = {}) {
	return {
		id: crypto.randomUUID(),
		touchpoint: touchpoint.code,
		answeredAt: new Date().toISOString(),
		locale: 'vi',
		answers: { q1: 4 },
		...overrides
	};
}

/** A kiosk tablet paired to `touchpoint`, with its bearer header. */
export async function pairedTablet(app: App, touchpoint: Touchpoint) {
	const { code } = await devices.create(app.db, {
		touchpointId: touchpoint.id,
		name: 'Quầy thử',
		createdBy: 'test'
	});
	const paired = (await devices.pair(app.db, code))!;
	return { ...paired, bearer: { authorization: `Bearer ${paired.token}` } };
}

/** The paths of an API error body, in order. */
export const paths = (reply: Reply): string[] =>
	(reply.data?.errors ?? []).map((e: { path: string }) => e.path);

/** A body streamed in 1 KiB chunks with no declared length; `pulled` counts what was read. */
export function streamedBody(kib: number, chunk = 'x'.repeat(1024)) {
	const bytes = new TextEncoder().encode(chunk);
	const counter = { pulled: 0 };
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (counter.pulled === kib) return controller.close();
			counter.pulled += 1;
			controller.enqueue(bytes);
		}
	});
	return { body, counter };
}

/** A staff member with a live session, and the cookie their browser would send. */
export async function signedIn(
	app: App,
	role: SessionUser['role'],
	unitCode: string | null = null
) {
	const user = await staffUser(app, role, unitCode);
	const token = generateSessionToken();
	await createSession(app.db, token, user.id, true);
	return { user, token, cookies: { session: token } };
}
