import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, staffUser, type Outcome } from '$tests/helpers/staff';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { Capability, SessionUser } from '$lib/server/auth';
import { sql } from '$lib/server/db';
import { receiptTokens, type Touchpoint } from '$lib/server/touchpoints';

// Every staff route module, loaded as SvelteKit would. A route missing from the table below
// fails the first test: access rules are decided per route, never left to the layout.
const modules = import.meta.glob<Record<string, unknown>>(
	['./**/+page.server.ts', './**/+server.ts'],
	{
		eager: true
	}
);

type Params = Record<string, string>;
interface Rule {
	/** Who may: a capability, or any signed-in staff member. */
	who: Capability | 'signedIn';
	/** Who may use the actions, when fewer may act than may look. */
	act?: Capability;
	/** Path, parameters and query of a resource inside the AG.LX subtree... */
	inside: (f: Fixtures) => { params?: Params; query?: string };
	/** ...and of one outside it (AG.CD), which a manager or clerk of AG.LX must not reach. */
	outside?: (f: Fixtures) => { params?: Params; query?: string };
}

interface Fixtures {
	qrLX: string;
	qrCD: string;
	kioskLX: string;
	batchLX: string;
	batchCD: string;
	userId: string;
	caseLX: string;
	caseCD: string;
}

// Where the resource is named: the unit in the query, a QR touchpoint, a batch of receipt tokens.
type Place = Pick<Rule, 'inside' | 'outside'>;
const unitInQuery: Place = {
	inside: () => ({ query: '?unit=AG.LX' }),
	outside: () => ({ query: '?unit=AG.CD' })
};
const qrTouchpoint: Place = {
	inside: (f) => ({ params: { code: f.qrLX } }),
	outside: (f) => ({ params: { code: f.qrCD } })
};
const tokenBatch: Place = {
	inside: (f) => ({ params: { code: f.qrLX, batch: f.batchLX } }),
	outside: (f) => ({ params: { code: f.qrCD, batch: f.batchCD } })
};
const quarter = () => ({ params: { quarter: '2026-Q3' } });
const exportQuery = () => ({ query: '?survey=sipas-one-stop&unit=AG.LX&period=2026-Q3' });

const table: Record<string, Rule> = {
	'./dashboard/+page.server.ts': { who: 'results', ...unitInQuery },
	'./dashboard/trends/+page.server.ts': { who: 'results', ...unitInQuery },
	'./comments/+page.server.ts': { who: 'results', ...unitInQuery },
	'./cases/+page.server.ts': { who: 'results', ...unitInQuery },
	'./cases/[id]/+page.server.ts': {
		who: 'results',
		act: 'followup',
		inside: (f) => ({ params: { id: f.caseLX } }),
		outside: (f) => ({ params: { id: f.caseCD } })
	},
	'./reports/+page.server.ts': { who: 'results', inside: () => ({}) },
	'./reports/[quarter]/+page.server.ts': { who: 'results', inside: quarter },
	'./reports/[quarter]/pdf/+server.ts': { who: 'results', inside: quarter },
	'./exports/+page.server.ts': { who: 'export', inside: () => ({}) },
	'./exports/responses/+server.ts': { who: 'export', inside: exportQuery },
	'./exports/results/+server.ts': { who: 'export', inside: exportQuery },
	'./touchpoints/+page.server.ts': { who: 'touchpoints', act: 'admin', inside: () => ({}) },
	'./touchpoints/[code]/poster/+page.server.ts': { who: 'touchpoints', ...qrTouchpoint },
	'./touchpoints/[code]/tokens/+page.server.ts': { who: 'touchpoints', ...qrTouchpoint },
	'./touchpoints/[code]/tokens/[batch]/+page.server.ts': { who: 'touchpoints', ...tokenBatch },
	'./touchpoints/[code]/tokens/[batch]/tokens.csv/+server.ts': {
		who: 'touchpoints',
		...tokenBatch
	},
	'./touchpoints/[code]/devices/+page.server.ts': {
		who: 'admin',
		inside: (f) => ({ params: { code: f.kioskLX } })
	},
	'./entry/+page.server.ts': {
		who: 'entry',
		inside: () => ({ query: '?survey=sipas-one-stop&unit=AG.LX' }),
		outside: () => ({ query: '?survey=sipas-one-stop&unit=AG.CD' })
	},
	'./entry/[survey]/[unit]/+page.server.ts': {
		who: 'entry',
		inside: () => ({ params: { survey: 'sipas-one-stop', unit: 'AG.LX' } }),
		outside: () => ({ params: { survey: 'sipas-one-stop', unit: 'AG.CD' } })
	},
	'./entry/import/+page.server.ts': { who: 'entry', inside: () => ({}) },
	'./admin/users/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/users/new/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/users/[id]/+page.server.ts': {
		who: 'admin',
		inside: (f) => ({ params: { id: f.userId } })
	},
	'./admin/units/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/units/[code]/+page.server.ts': {
		who: 'admin',
		inside: () => ({ params: { code: 'AG.LX' } })
	},
	'./admin/units/units.csv/+server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/surveys/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/surveys/[id]/+page.server.ts': {
		who: 'admin',
		inside: () => ({ params: { id: 'sipas-one-stop' } })
	},
	'./admin/surveys/[id]/texts.csv/+server.ts': {
		who: 'admin',
		inside: () => ({ params: { id: 'one-stop-case' } })
	},
	'./admin/audit/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./admin/devices/+page.server.ts': { who: 'admin', inside: () => ({}) },
	'./account/+page.server.ts': { who: 'signedIn', inside: () => ({}) },
	'./account/password/+page.server.ts': { who: 'signedIn', inside: () => ({}) },
	'./account/mfa/+page.server.ts': { who: 'signedIn', inside: () => ({}) },
	'./account/tokens/+page.server.ts': { who: 'apiTokens', inside: () => ({}) }
};

const grants: Record<SessionUser['role'], (Capability | 'signedIn')[]> = {
	admin: [
		'signedIn',
		'results',
		'followup',
		'export',
		'entry',
		'touchpoints',
		'apiTokens',
		'admin'
	],
	analyst: ['signedIn', 'results', 'export', 'apiTokens'],
	manager: ['signedIn', 'results', 'followup', 'touchpoints'],
	clerk: ['signedIn', 'entry']
};

let app: App;
let fixtures: Fixtures;
const users = {} as Record<SessionUser['role'], SessionUser>;

beforeAll(async () => {
	app = await startTestApp();
	users.admin = await staffUser(app, 'admin');
	users.analyst = await staffUser(app, 'analyst');
	users.manager = await staffUser(app, 'manager', 'AG.LX');
	users.clerk = await staffUser(app, 'clerk', 'AG.LX');
	const qrLX = await touchpointAt(app, 'sipas-one-stop', 'AG.LX');
	const qrCD = await touchpointAt(app, 'sipas-one-stop', 'AG.CD');
	const kioskLX = await touchpointAt(app, 'one-stop-case', 'AG.LX', 'kiosk');
	fixtures = {
		qrLX: qrLX.code,
		qrCD: qrCD.code,
		kioskLX: kioskLX.code,
		batchLX: await receiptTokens.createBatch(app.db, qrLX.id, 2),
		batchCD: await receiptTokens.createBatch(app.db, qrCD.id, 2),
		userId: users.clerk.id,
		caseLX: await caseAt(qrLX),
		caseCD: await caseAt(qrCD)
	};
});
afterAll(() => app.db.close());

/** A follow-up case at a touchpoint's unit: a low rating with a comment opens one. */
async function caseAt(touchpoint: Touchpoint) {
	const id = await answer(app, touchpoint, '2026-07-10T03:00:00Z', { overall: 1, comment: 'Chậm' });
	const [row] = await app.db.query<{ id: number }>(
		sql`select id from follow_up_cases where response_id = ${id}::uuid`
	);
	return String(row!.id);
}

/** Every handler of a route module: its load, each named action, each HTTP method. */
function handlers(module: Record<string, unknown>) {
	const list: { name: string; method: string; fn: (e: unknown) => unknown }[] = [];
	if (typeof module.load === 'function')
		list.push({ name: 'load', method: 'GET', fn: module.load as never });
	for (const [name, fn] of Object.entries((module.actions ?? {}) as Record<string, unknown>)) {
		list.push({ name: `action ${name}`, method: 'POST', fn: fn as never });
	}
	for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
		if (typeof module[method] === 'function')
			list.push({ name: method, method, fn: module[method] as never });
	}
	return list;
}

function path(file: string, params: Params = {}, query = '') {
	const route = file
		.replace(/^\.\//, '/')
		.replace(/\/\+(page\.server|server)\.ts$/, '')
		.replace(/\[(\w+)\]/g, (_, k: string) => params[k] ?? k);
	return route + query;
}

/** Calls one handler of a route as `user`, on the resource `where` names, with an empty form. */
function callAs(
	user: SessionUser | null,
	file: string,
	h: ReturnType<typeof handlers>[number],
	where: { params?: Params; query?: string }
) {
	return run(h.fn, {
		user,
		path: path(file, where.params, where.query),
		params: where.params,
		method: h.method,
		form: h.method === 'POST' ? {} : undefined
	});
}

/** What a 404 looks like, whether thrown by a load/action or answered by an endpoint. */
function isNotFound(outcome: Outcome) {
	if (outcome.kind === 'error') return outcome.status === 404;
	return outcome.kind === 'ok' && (outcome.data.response as Response | undefined)?.status === 404;
}

function isSignInAsked(outcome: Outcome) {
	if (outcome.kind === 'redirect') return outcome.location.startsWith('/login');
	const response =
		outcome.kind === 'ok' ? (outcome.data.response as Response | undefined) : undefined;
	return response?.status === 401 || (outcome.kind === 'error' && outcome.status === 401);
}

describe('staff routes × roles', () => {
	it('has a rule for every staff route and no rule for a route that is gone', () => {
		expect(Object.keys(modules).sort()).toEqual(Object.keys(table).sort());
	});

	for (const [file, rule] of Object.entries(table)) {
		describe(file, () => {
			it('asks a signed-out visitor to sign in', async () => {
				const module = modules[file]!;
				for (const h of handlers(module)) {
					const outcome = await callAs(null, file, h, rule.inside(fixtures));
					expect(isSignInAsked(outcome), `${h.name}: ${JSON.stringify(outcome)}`).toBe(true);
				}
			});

			for (const role of ['admin', 'analyst', 'manager', 'clerk'] as const) {
				const allowed = grants[role].includes(rule.who);
				const mayAct = grants[role].includes(rule.act ?? rule.who);
				it(`${allowed ? 'lets' : 'hides from'} ${role}${allowed && rule.outside && (role === 'manager' || role === 'clerk') ? ', but only inside AG.LX' : ''}`, async () => {
					const module = modules[file]!;
					for (const h of handlers(module)) {
						const outcome = await callAs(users[role], file, h, rule.inside(fixtures));
						const label = `${role} ${h.name}: ${JSON.stringify(outcome).slice(0, 300)}`;
						const may = h.method === 'GET' ? allowed : mayAct;
						expect(isNotFound(outcome), label).toBe(!may);
						expect(isSignInAsked(outcome), label).toBe(false);
						if (may && rule.outside && (role === 'manager' || role === 'clerk')) {
							const outside = await callAs(users[role], file, h, rule.outside(fixtures));
							expect(isNotFound(outside), `outside AG.LX, ${label}`).toBe(true);
						}
					}
				});
			}
		});
	}
});
