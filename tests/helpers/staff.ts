import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import type { App } from '../../src/lib/server/app';
import { startTestApp } from './test-app';
import {
	createSession,
	generateSessionToken,
	validateSessionToken,
	type SessionUser,
	createUser
} from '../../src/lib/server/auth';

let serial = 0;

/** A staff account of the given role (and unit), ready to act as `locals.user`. */
export async function staffUser(
	app: App,
	role: SessionUser['role'],
	unitCode: string | null = null
): Promise<SessionUser> {
	const email = `${role}.${++serial}.${Date.now()}@test.hailong`;
	const id = await createUser(app.db, { email, password: 'a-long-test-password', role, unitCode });
	return {
		id,
		email,
		role,
		unitCode,
		name: null,
		mustChangePassword: false,
		mfaEnrolled: false
	};
}

export interface EventInput {
	user?: SessionUser | null;
	/** Path and query, e.g. `/admin/units?x=1`. */
	path: string;
	params?: Record<string, string>;
	/** Form fields for an action; a repeated name is given as several pairs. */
	form?: [string, string][] | Record<string, string>;
	/** A multipart body (file uploads) instead of `form`. */
	formData?: FormData;
	method?: string;
	headers?: Record<string, string>;
	address?: string;
	locale?: 'vi' | 'en';
}

/** A RequestEvent as SvelteKit hands it to a load, action or endpoint, after the hooks ran. */
export function staffEvent(input: EventInput) {
	const url = new URL(`http://localhost${input.path}`);
	const method = input.method ?? (input.form || input.formData ? 'POST' : 'GET');
	const body =
		input.formData ??
		(input.form
			? new URLSearchParams(Array.isArray(input.form) ? input.form : Object.entries(input.form))
			: undefined);
	const jar = new Map<string, string>();
	return {
		url,
		params: input.params ?? {},
		route: { id: null },
		request: new Request(url, { method, body, headers: input.headers }),
		locals: {
			locale: input.locale ?? 'vi',
			display: 'normal',
			user: input.user ?? null,
			sessionId: null,
			viaToken: false
		},
		cookies: {
			get: (name: string) => jar.get(name),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string) => void jar.set(name, value),
			delete: (name: string) => void jar.delete(name),
			serialize: () => ''
		},
		getClientAddress: () => input.address ?? '192.0.2.10',
		setHeaders: () => {},
		parent: async () => ({}),
		depends: () => {},
		untrack: <T>(fn: () => T) => fn(),
		fetch
	};
}

export type Outcome =
	| { kind: 'ok'; status: number; data: Record<string, unknown> }
	| { kind: 'fail'; status: number; data: Record<string, unknown> }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'error'; status: number; message: string };

/**
 * Runs a load, action or endpoint handler and reports what SvelteKit would make of it: data, a
 * `fail()`, a redirect or an HTTP error. Anything else thrown is a bug and is re-thrown.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function run(handler: (event: any) => unknown, input: EventInput): Promise<Outcome> {
	try {
		const result = await handler(staffEvent(input));
		if (isActionFailure(result)) {
			return {
				kind: 'fail',
				status: result.status,
				data: result.data as unknown as Record<string, unknown>
			};
		}
		if (result instanceof Response) {
			return { kind: 'ok', status: result.status, data: { response: result } };
		}
		return { kind: 'ok', status: 200, data: (result ?? {}) as Record<string, unknown> };
	} catch (thrown) {
		if (isRedirect(thrown))
			return { kind: 'redirect', status: thrown.status, location: thrown.location };
		if (isHttpError(thrown))
			return { kind: 'error', status: thrown.status, message: thrown.body.message };
		throw thrown;
	}
}

/**
 * Sessions as the browser holds them: `sessionOf` makes one for a user and returns its token;
 * `call` runs a handler as the hooks leave the event for that token, with a cookie jar.
 */
export function staffSession(app: App) {
	async function sessionOf(user: SessionUser, twoFactorVerified = false) {
		const token = generateSessionToken();
		await createSession(app.db, token, user.id, twoFactorVerified);
		return token;
	}
	async function call(
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		handler: (event: any) => unknown,
		input: EventInput,
		token: string,
		jar = new Map<string, string>()
	) {
		const found = await validateSessionToken(app.db, token);
		return run(
			(event) => {
				event.locals.user = found?.user ?? null;
				event.locals.sessionId = found?.session.id ?? null;
				event.cookies = {
					get: (name: string) => jar.get(name),
					set: (name: string, value: string) => void jar.set(name, value),
					delete: (name: string) => void jar.delete(name)
				};
				return handler(event);
			},
			{ ...input, user: found?.user ?? null }
		);
	}
	return { sessionOf, call };
}

/** A test app with staff sessions on it (see `staffSession`). */
export async function startStaffApp() {
	const app = await startTestApp();
	return { app, ...staffSession(app) };
}

/** A test app and an administrator on it: where the tests of the admin pages start. */
export async function startAdminApp() {
	const app = await startTestApp();
	return { app, admin: await staffUser(app, 'admin') };
}

/** The staff many route tests act as: an admin, an analyst, and a manager and a clerk of AG.LX. */
export async function staffOfLX(app: App) {
	return {
		admin: await staffUser(app, 'admin'),
		analyst: await staffUser(app, 'analyst'),
		managerLX: await staffUser(app, 'manager', 'AG.LX'),
		clerkLX: await staffUser(app, 'clerk', 'AG.LX')
	};
}

/** The data of a load, action or endpoint that returned (or failed) normally. */
export function dataOf<T = Record<string, unknown>>(outcome: Outcome): T {
	if (outcome.kind !== 'ok' && outcome.kind !== 'fail') throw new Error(`no data: ${outcome.kind}`);
	return outcome.data as T;
}
