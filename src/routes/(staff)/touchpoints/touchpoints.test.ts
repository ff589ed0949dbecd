import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { dataOf, run, staffOfLX } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit, type AuditAction } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import { sql } from '$lib/server/db';
import { receiptTokens, type Touchpoint } from '$lib/server/touchpoints';
import * as touchpoints from '$lib/server/touchpoints';
import { GET as apiTouchpoints } from '../../api/v1/touchpoints/+server';
import { actions, load } from './+page.server';
import { load as posterLoad } from './[code]/poster/+page.server';
import Poster from './[code]/poster/+page.svelte';
import { actions as tokensActions, load as tokensLoad } from './[code]/tokens/+page.server';
import { load as batchLoad } from './[code]/tokens/[batch]/+page.server';
import { GET as tokensCsv } from './[code]/tokens/[batch]/tokens.csv/+server';

let app: App;
let admin: SessionUser, analyst: SessionUser, managerLX: SessionUser, clerkLX: SessionUser;
let atLX: Touchpoint, atWard: Touchpoint, atCD: Touchpoint, kioskLX: Touchpoint;

beforeAll(async () => {
	app = await startTestApp();
	({ admin, analyst, managerLX, clerkLX } = await staffOfLX(app));
	atLX = await touchpointAt(app, 'sipas-one-stop', 'AG.LX');
	atWard = await touchpointAt(app, 'sipas-one-stop', 'AG.LX.BD');
	atCD = await touchpointAt(app, 'sipas-one-stop', 'AG.CD');
	kioskLX = await touchpointAt(app, 'sipas-one-stop', 'AG.LX', 'kiosk');
});
afterAll(() => app.db.close());
const codes = (data: Record<string, unknown>) =>
	(data.touchpoints as { code: string }[]).map((t) => t.code);
const lastAudit = async (action: AuditAction) => (await listAudit(app.db, { action, limit: 1 }))[0];

describe('the touchpoint list', () => {
	it('shows a manager the touchpoints of their subtree only, without the creation form', async () => {
		const seen = await run(load, { user: managerLX, path: '/touchpoints' });
		expect(seen.kind).toBe('ok');
		if (seen.kind !== 'ok') return;
		expect(codes(seen.data)).toEqual(
			expect.arrayContaining([atLX.code, atWard.code, kioskLX.code])
		);
		expect(codes(seen.data)).not.toContain(atCD.code);
		expect(seen.data.choices).toBeNull();
	});

	it('shows an administrator every touchpoint and the units and surveys to create one', async () => {
		const seen = await run(load, { user: admin, path: '/touchpoints' });
		if (seen.kind !== 'ok') throw new Error(seen.kind);
		expect(codes(seen.data)).toEqual(expect.arrayContaining([atLX.code, atCD.code]));
		const choices = seen.data.choices as { units: { code: string }[]; surveys: { id: string }[] };
		expect(choices.units.map((u) => u.code)).toContain('AG.CD');
		expect(choices.surveys.map((s) => s.id)).toContain('sipas-one-stop');
	});

	it('is not there for analysts and clerks, and sends a visitor to sign in', async () => {
		for (const user of [analyst, clerkLX]) {
			expect(await run(load, { user, path: '/touchpoints' })).toMatchObject({ status: 404 });
		}
		expect(await run(load, { path: '/touchpoints' })).toMatchObject({ kind: 'redirect' });
	});
});

describe('creating and closing touchpoints', () => {
	const form = { unit: 'AG.CD', survey: 'sipas-one-stop', channel: 'kiosk' };

	it('lets an administrator create one, audited', async () => {
		const made = await run(actions.create!, { user: admin, path: '/touchpoints?/create', form });
		expect(made).toMatchObject({ kind: 'redirect', status: 303 });
		const code = new URL(`http://x${(made as { location: string }).location}`).searchParams.get(
			'created'
		)!;
		expect(await touchpoints.findByCode(app.db, code)).toMatchObject({
			unitCode: 'AG.CD',
			surveyId: 'sipas-one-stop',
			channel: 'kiosk',
			active: true
		});
		expect(await lastAudit('touchpoint_created')).toMatchObject({
			actorEmail: admin.email,
			target: code,
			detail: { unit: 'AG.CD', survey: 'sipas-one-stop', channel: 'kiosk' }
		});
	});

	it('refuses unknown units and surveys, and a channel the survey does not use, changing nothing', async () => {
		const count = async () =>
			(await app.db.query<{ n: number }>(sql`select count(*)::int as n from touchpoints`))[0]!.n;
		const before = await count();
		const cases: [Record<string, string>, string][] = [
			[{ ...form, unit: 'AG.NOPE' }, 'unit'],
			[{ ...form, unit: "AG' or 1=1 --" }, 'unit'],
			[{ ...form, survey: 'no-such-survey' }, 'survey'],
			[{ ...form, channel: 'paper' }, 'channel'],
			[{ ...form, survey: 'health-inpatient' }, 'channel']
		];
		for (const [fields, field] of cases) {
			const outcome = await run(actions.create!, {
				user: admin,
				path: '/touchpoints',
				form: fields
			});
			expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
			expect((dataOf(outcome).errors as Record<string, string>)[field]).toBeTruthy();
		}
		expect(await count()).toBe(before);
	});

	it('is for administrators only: 404 for managers, analysts and clerks', async () => {
		for (const user of [managerLX, analyst, clerkLX]) {
			const fields = { ...form, unit: 'AG.LX' };
			expect(
				await run(actions.create!, { user, path: '/touchpoints', form: fields })
			).toMatchObject({ kind: 'error', status: 404 });
			expect(
				await run(actions.setActive!, {
					user,
					path: '/touchpoints',
					form: { code: atLX.code, active: 'false' }
				})
			).toMatchObject({ kind: 'error', status: 404 });
		}
		expect((await touchpoints.findByCode(app.db, atLX.code))!.active).toBe(true);
	});

	it('closes and reopens a touchpoint, audited, and forgets the cached copy', async () => {
		const tp = await touchpointAt(app, 'sipas-one-stop', 'AG.LX');
		app.touchpointCache.set(tp.code, { touchpoint: tp, at: Date.now() });
		const close = { code: tp.code, active: 'false' };
		expect(
			await run(actions.setActive!, { user: admin, path: '/touchpoints', form: close })
		).toMatchObject({ kind: 'redirect' });
		expect((await touchpoints.findByCode(app.db, tp.code))!.active).toBe(false);
		expect(app.touchpointCache.has(tp.code)).toBe(false);
		expect(await lastAudit('touchpoint_changed')).toMatchObject({
			target: tp.code,
			detail: { active: false }
		});
		await run(actions.setActive!, {
			user: admin,
			path: '/touchpoints',
			form: { code: tp.code, active: 'true' }
		});
		expect((await touchpoints.findByCode(app.db, tp.code))!.active).toBe(true);
	});
});

describe('the QR poster', () => {
	const poster = (user: SessionUser, tp: Touchpoint, query = '') =>
		run(posterLoad, {
			user,
			path: `/touchpoints/${tp.code}/poster${query}`,
			params: { code: tp.code }
		});

	it('shows the unit name, the survey title and a server-made QR code of the link', async () => {
		const seen = await poster(managerLX, atLX, '?size=a5');
		if (seen.kind !== 'ok') throw new Error(seen.kind);
		expect(seen.data.size).toBe('a5');
		const { body } = render(Poster, { props: { data: seen.data as never } });
		expect(body).toContain('Thành phố Long Xuyên');
		expect(body).toContain('Khảo sát sự hài lòng về sự phục vụ của cơ quan hành chính nhà nước');
		expect(body).toContain('<svg');
		expect(body).toContain(`/s/${atLX.code}`);
		expect(body).toContain('Quét mã QR bằng camera điện thoại');
	});

	it('answers 404 outside the scope, for a kiosk touchpoint, an unknown code and a clerk', async () => {
		expect(await poster(managerLX, atCD)).toMatchObject({ status: 404 });
		expect(await poster(admin, kioskLX)).toMatchObject({ status: 404 });
		expect(await poster(clerkLX, atLX)).toMatchObject({ status: 404 });
		const unknown = { ...atLX, code: 'nosuchcode' };
		expect(await poster(admin, unknown)).toMatchObject({ status: 404 });
	});
});

describe('receipt tokens', () => {
	it('makes a batch for a manager in scope and audits it', async () => {
		const outcome = await run(tokensActions.default!, {
			user: managerLX,
			path: `/touchpoints/${atLX.code}/tokens`,
			params: { code: atLX.code },
			form: { count: '3' }
		});
		expect(outcome).toMatchObject({ kind: 'redirect', status: 303 });
		const batch = outcome.kind === 'redirect' ? outcome.location.split('/').at(-1) : '';
		expect((await receiptTokens.listBatch(app.db, atLX.id, batch!)).length).toBe(3);
		expect(await lastAudit('receipt_tokens_created')).toMatchObject({
			actorId: managerLX.id,
			target: atLX.code,
			detail: { batch, count: 3 }
		});
	});

	it('answers 404 to a manager for another subtree, and to a batch of another touchpoint', async () => {
		const batchCD = await receiptTokens.createBatch(app.db, atCD.id, 2);
		const batchLX = await receiptTokens.createBatch(app.db, atLX.id, 2);
		expect(
			await run(tokensLoad, { user: managerLX, path: '/t', params: { code: atCD.code } })
		).toMatchObject({ status: 404 });
		expect(
			await run(tokensLoad, { user: managerLX, path: '/t', params: { code: atLX.code } })
		).toMatchObject({ kind: 'ok' });
		for (const handler of [batchLoad, tokensCsv]) {
			const params = { code: atLX.code, batch: batchCD };
			expect(await run(handler, { user: admin, path: '/t', params })).toMatchObject({
				status: 404
			});
			const other = { code: atCD.code, batch: batchCD };
			expect(await run(handler, { user: managerLX, path: '/t', params: other })).toMatchObject({
				status: 404
			});
		}
		expect(
			await run(batchLoad, {
				user: managerLX,
				path: '/t',
				params: { code: atLX.code, batch: batchLX }
			})
		).toMatchObject({ kind: 'ok' });
	});

	it('exports a batch as CSV that no cache keeps, audited as an export', async () => {
		const batch = await receiptTokens.createBatch(app.db, atLX.id, 3);
		const out = await run(tokensCsv, {
			user: managerLX,
			path: '/t',
			params: { code: atLX.code, batch }
		});
		if (out.kind !== 'ok') throw new Error(out.kind);
		const response = out.data.response as Response;
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect((await response.text()).split('\r\n').filter(Boolean)).toHaveLength(4);
		expect(await lastAudit('export')).toMatchObject({
			actorEmail: managerLX.email,
			target: atLX.code,
			detail: { kind: 'receipt_tokens', batch, rows: 3 }
		});
	});
});

describe('GET /api/v1/touchpoints', () => {
	const call = async (user: SessionUser | null) => {
		const out = await run(apiTouchpoints, { user, path: '/api/v1/touchpoints' });
		const response = dataOf(out).response as Response;
		return { status: response.status, body: await response.json() };
	};

	it('lists the caller’s subtree for managers and clerks, everything for analysts', async () => {
		for (const user of [managerLX, clerkLX]) {
			const { body } = await call(user);
			const listed = body.map((t: { code: string }) => t.code);
			expect(listed).toContain(atWard.code);
			expect(listed).not.toContain(atCD.code);
		}
		const { body } = await call(analyst);
		expect(body.find((t: { code: string }) => t.code === atCD.code)).toEqual({
			code: atCD.code,
			survey: 'sipas-one-stop',
			unit: 'AG.CD',
			channel: 'qr',
			url: `http://localhost/s/${atCD.code}`
		});
		expect((await call(null)).status).toBe(401);
	});
});
