import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { touchpointAt } from '$tests/helpers/responses';
import { run, staffUser, type Outcome } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import { targets } from '$lib/server/results';
import { load } from './+page.server';
import ListPage from './+page.svelte';
import SurveyPage from './[id]/+page.svelte';
import { actions, load as surveyLoad } from './[id]/+page.server';

let app: App;
let admin: SessionUser;

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	await touchpointAt(app, 'test-numbers', 'AG.LX', 'qr');
	await touchpointAt(app, 'test-numbers', 'AG.CD', 'qr');
	await touchpointAt(app, 'test-numbers', 'AG.CD', 'kiosk');
	admin = await staffUser(app, 'admin');
});
afterAll(() => app.db.close());

const path = '/admin/surveys/test-numbers';
const dataOf = (o: Outcome) => (o.kind === 'ok' ? o.data : {}) as Record<string, unknown>;
const params = { id: 'test-numbers' };
const good = {
	indicator: 'overall',
	unit: 'AG.LX',
	validFrom: '2025-01-01',
	validTo: '2025-12-31',
	target: '90'
};

describe('only administrators reach the survey pages', () => {
	const handlers = [
		['list', load, { path: '/admin/surveys' }],
		['survey', surveyLoad, { path, params }],
		['add', actions.add!, { path, params, form: good }],
		['remove', actions.remove!, { path, params, form: { id: '1' } }]
	] as const;

	it.each(['analyst', 'manager', 'clerk'] as const)('a %s gets 404 everywhere', async (role) => {
		const user = await staffUser(app, role, role === 'analyst' ? null : 'AG');
		for (const [name, handler, input] of handlers) {
			const out = await run(handler, { ...input, user });
			expect([name, out.kind, out.status]).toEqual([name, 'error', 404]);
		}
		expect(await targets.list(app.db, 'test-numbers')).toEqual([]);
	});

	it('an unknown survey is a 404 for an administrator too', async () => {
		const out = await run(surveyLoad, {
			path: '/admin/surveys/nope',
			params: { id: 'nope' },
			user: admin
		});
		expect([out.kind, out.status]).toEqual(['error', 404]);
	});
});

describe('surveys and their targets', () => {
	it('lists each survey with its versions and the channels of its active touchpoints', async () => {
		const out = await run(load, { path: '/admin/surveys', user: admin });
		const list = dataOf(out).surveys as {
			id: string;
			channels: object;
			touchpoints: number;
			versions: { version: number }[];
		}[];
		const numbers = list.find((s) => s.id === 'test-numbers')!;
		expect(numbers).toMatchObject({
			touchpoints: 3,
			channels: { qr: 2, kiosk: 1 },
			versions: [{ version: 1 }]
		});
		expect(list.length).toBeGreaterThan(1);
	});

	it('shows the indicators with their default targets', async () => {
		const out = await run(surveyLoad, { path, params, user: admin });
		expect(dataOf(out).indicators).toContainEqual({
			id: 'overall',
			label: 'Chung',
			kind: 'share_of_respondents',
			target: 0.85
		});
	});

	it.each([
		[{ target: '0' }, 'target'],
		[{ target: '90.55' }, 'target'],
		[{ unit: 'AG.NOPE' }, 'unit'],
		[{ unit: "AG' OR 1=1--" }, 'unit'],
		[{ validTo: '2024-12-31' }, 'validTo'],
		[{ indicator: 'missing' }, 'indicator']
	])('refuses %o with 400 and stores nothing', async (change, field) => {
		const out = await run(actions.add!, {
			path,
			params,
			user: admin,
			form: { ...good, ...change }
		});
		expect(out).toMatchObject({
			kind: 'fail',
			status: 400,
			data: { errors: { [field]: expect.any(String) } }
		});
		expect(await targets.list(app.db, 'test-numbers')).toEqual([]);
	});

	it('adds an override, shows it, removes it, and audits both', async () => {
		const added = await run(actions.add!, { path, params, user: admin, form: good });
		expect(added).toMatchObject({ kind: 'redirect', status: 303, location: `${path}?done=saved` });
		const shown = await run(surveyLoad, { path, params, user: admin });
		const [o] = dataOf(shown).overrides as targets.TargetOverride[];
		expect(o).toMatchObject({ indicatorId: 'overall', unitCode: 'AG.LX', target: 0.9 });
		const wrong = await run(actions.remove!, { path, params, user: admin, form: { id: 'x' } });
		expect([wrong.kind, wrong.status]).toEqual(['fail', 400]);
		const removed = await run(actions.remove!, {
			path,
			params,
			user: admin,
			form: { id: String(o!.id) }
		});
		expect(removed).toMatchObject({ kind: 'redirect', location: `${path}?done=removed` });
		expect(await targets.list(app.db, 'test-numbers')).toEqual([]);
		expect(await listAudit(app.db, { action: 'target_set' })).toHaveLength(1);
		expect(await listAudit(app.db, { action: 'target_removed' })).toEqual([
			expect.objectContaining({ actorEmail: admin.email, target: 'test-numbers/overall@AG.LX' })
		]);
	});
});

describe('the survey pages render without JavaScript', () => {
	it('lists the surveys and shows a survey with its override form', async () => {
		const list = render(ListPage, {
			props: { data: dataOf(await run(load, { path: '/admin/surveys', user: admin })) as never }
		}).body;
		expect(list).toContain('href="/admin/surveys/test-numbers"');
		expect(list).toMatch(/qr \(2\), kiosk \(1\)|kiosk \(1\), qr \(2\)/);
		const bad = await run(actions.add!, {
			path,
			params,
			user: admin,
			form: { ...good, target: '150' }
		});
		const page = render(SurveyPage, {
			props: {
				data: dataOf(await run(surveyLoad, { path, params, user: admin })) as never,
				form: (bad.kind === 'fail' ? bad.data : null) as never
			}
		}).body;
		expect(page).toContain('action="?/add"');
		expect(page).toContain('85 %');
		expect(page).toMatch(/aria-describedby="target-hint target-error"/);
	});
});
