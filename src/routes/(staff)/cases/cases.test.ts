import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { run, staffUser, type Outcome } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import { sql } from '$lib/server/db';
import * as responses from '$lib/server/responses';
import * as comments from '../comments/+page.server';
import * as detail from './[id]/+page.server';
import * as inbox from './+page.server';

let app: App;
let caseId: string;
const staff = {} as Record<'lxManager' | 'cdManager' | 'analyst', SessionUser>;

beforeAll(async () => {
	app = await startTestApp();
	staff.lxManager = await staffUser(app, 'manager', 'AG.LX');
	staff.cdManager = await staffUser(app, 'manager', 'AG.CD');
	staff.analyst = await staffUser(app, 'analyst');
	const tp = await touchpointAt(app, 'sipas-one-stop', 'AG.LX');
	const id = crypto.randomUUID();
	const now = new Date();
	await responses.store(app.db, app.surveys, {
		id,
		touchpoint: tp,
		reportedAt: now,
		receivedAt: now,
		locale: 'vi',
		answers: { overall: 2, staff_polite: 1, comment: 'Cán bộ hướng dẫn chậm, phải đi lại ba lần' },
		contact: { name: 'Trần Thị B', phone: '0987654321', purpose: 'follow_up' }
	});
	const [row] = await app.db.query<{ id: number }>(
		sql`select id from follow_up_cases where response_id = ${id}::uuid`
	);
	caseId = String(row!.id);
});
afterAll(() => app.db.close());

const open = (user: SessionUser, query = '') => run(inbox.load, { user, path: `/cases${query}` });
const show = (user: SessionUser) =>
	run(detail.load, { user, path: `/cases/${caseId}`, params: { id: caseId } });
const post = (user: SessionUser, form: Record<string, string>) =>
	run(detail.actions.move!, {
		user,
		path: `/cases/${caseId}?/move`,
		params: { id: caseId },
		form
	});
/** What a load returned, or what a fail() carried. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const dataOf = (o: Outcome): any => (o.kind === 'ok' || o.kind === 'fail' ? o.data : {});
const ids = (outcome: Outcome) =>
	((dataOf(outcome).rows ?? []) as { id: number }[]).map((r) => String(r.id));

describe('the follow-up loop, as managers and analysts meet it', () => {
	it("puts the case in its district's inbox and nowhere else", async () => {
		expect(ids(await open(staff.lxManager))).toContain(caseId);
		expect(ids(await open(staff.analyst))).toContain(caseId);
		// The Châu Đốc manager's inbox opens on Châu Đốc and cannot open the case itself.
		expect(ids(await open(staff.cdManager))).not.toContain(caseId);
		expect(await show(staff.cdManager)).toMatchObject({ kind: 'error', status: 404 });
		expect(await post(staff.cdManager, { seen: 'new', to: 'in_progress' })).toMatchObject({
			kind: 'error',
			status: 404
		});
	});

	it('shows the phone number to the manager, never to the analyst, who may not act', async () => {
		const manager = await show(staff.lxManager);
		expect(manager).toMatchObject({
			kind: 'ok',
			data: { canAct: true, case: { contact: { name: 'Trần Thị B', phone: '0987654321' } } }
		});
		const analyst = await show(staff.analyst);
		expect(analyst).toMatchObject({
			kind: 'ok',
			data: { canAct: false, case: { contact: null, hasContact: true } }
		});
		expect(JSON.stringify(analyst)).not.toContain('0987654321');
		expect(await post(staff.analyst, { seen: 'new', to: 'in_progress' })).toMatchObject({
			kind: 'error',
			status: 404
		});
	});

	it('takes the case up, refuses to resolve it without an answer, then resolves it', async () => {
		const blank = { actionTaken: '', reply: '' };
		expect(await post(staff.lxManager, { seen: 'new', to: 'in_progress', ...blank })).toEqual({
			kind: 'redirect',
			status: 303,
			location: `/cases/${caseId}?saved`
		});
		const refused = await post(staff.lxManager, {
			seen: 'in_progress',
			to: 'resolved',
			actionTaken: 'Đã làm việc với bộ phận một cửa',
			reply: ''
		});
		expect(refused).toMatchObject({ kind: 'fail', status: 400 });
		expect(dataOf(refused).message).toMatch(/trả lời người dân/);
		// What was typed comes back, so nothing is lost.
		expect(refused).toMatchObject({
			data: { values: { actionTaken: 'Đã làm việc với bộ phận một cửa' } }
		});
		// A stale tab that still shows "new".
		expect(await post(staff.lxManager, { seen: 'new', to: 'in_progress', ...blank })).toMatchObject(
			{
				kind: 'fail',
				status: 409
			}
		);
		expect(
			await post(staff.lxManager, { seen: 'in_progress', to: 'resolved', ...blank, extra: 'x' })
		).toMatchObject({ kind: 'fail', status: 400 });
		expect(
			await post(staff.lxManager, {
				seen: 'in_progress',
				to: 'resolved',
				actionTaken: 'Đã làm việc với bộ phận một cửa',
				reply: 'Cơ quan xin lỗi và đã rút ngắn thời gian hướng dẫn.'
			})
		).toMatchObject({ kind: 'redirect', status: 303 });
		const after = await show(staff.lxManager);
		expect(after).toMatchObject({ data: { case: { status: 'resolved' } } });
		const events: { status: string }[] = dataOf(after).case.events;
		expect(events.map((e) => e.status)).toEqual(['in_progress', 'resolved']);
		expect(ids(await open(staff.lxManager, '?view=resolved'))).toContain(caseId);
		expect(ids(await open(staff.lxManager, '?view=open'))).not.toContain(caseId);
	});

	it('finds the comment without accents and links it to its case', async () => {
		const found = await run(comments.load, {
			user: staff.lxManager,
			path: `/comments?q=${encodeURIComponent('di lai BA LAN')}&low=1&period=`
		});
		const rows: { caseId: number }[] = dataOf(found).rows;
		expect(rows).toHaveLength(1);
		expect(String(rows[0]!.caseId)).toBe(caseId);
		const cd = await run(comments.load, {
			user: staff.cdManager,
			path: `/comments?q=di+lai&period=`
		});
		expect(dataOf(cd).rows).toHaveLength(0);
	});
});
