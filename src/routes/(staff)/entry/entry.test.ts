import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countResponses } from '$tests/helpers/responses';
import { run, staffOfLX } from '$tests/helpers/staff';
import { startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import { sql } from '$lib/server/db';
import { paperResponseId } from '$lib/server/paper';
import { localDate } from '$lib/survey/periods';
import { load as chooseLoad } from './+page.server';
import { actions as formActions, load as formLoad } from './[survey]/[unit]/+page.server';
import { actions as importActions, load as importLoad } from './import/+page.server';

let app: App;
let admin: SessionUser;
let clerk: SessionUser;
let analyst: SessionUser;
let manager: SessionUser;

beforeAll(async () => {
	app = await startNumbersApp();
	({ admin, analyst, managerLX: manager, clerkLX: clerk } = await staffOfLX(app));
});
afterAll(() => app.db.close());

const today = localDate(new Date());
const formAt = (unit: string) => ({
	path: `/entry/test-numbers/${unit}`,
	params: { survey: 'test-numbers', unit }
});
const sheet = (serial: string, answers: Record<string, string>, date = today) => ({
	_serial: serial,
	_date: date,
	...answers
});

const count = () => countResponses(app);

async function audits(action: string) {
	return app.db.query<{ actor_id: string; target: string; detail: Record<string, unknown> }>(
		sql`select actor_id, target, detail from audit_log where action = ${action} order by id`
	);
}

function upload(csv: string, name = 'phieu.csv') {
	const data = new FormData();
	data.append('file', new File([csv], name, { type: 'text/csv' }));
	return data;
}

const preview = (user: SessionUser, formData: FormData) =>
	run(importActions.preview!, { user, path: '/entry/import?/preview', formData });
const confirm = (user: SessionUser, token: string) =>
	run(importActions.confirm!, { user, path: '/entry/import?/confirm', form: { token } });

describe('who may key in paper questionnaires', () => {
	it('sends a signed-out visitor to sign in', async () => {
		const outcome = await run(formLoad, formAt('AG.LX'));
		expect(outcome.kind).toBe('redirect');
	});

	it('answers 404 to analysts and managers on every entry page and action', async () => {
		for (const user of [analyst, manager]) {
			expect((await run(chooseLoad, { user, path: '/entry' })).status).toBe(404);
			expect((await run(formLoad, { user, ...formAt('AG.LX') })).status).toBe(404);
			const post = await run(formActions.default!, {
				user,
				...formAt('AG.LX'),
				form: sheet('R-1', { q1: '4' })
			});
			expect(post.status).toBe(404);
			expect((await run(importLoad, { user, path: '/entry/import' })).status).toBe(404);
			expect((await preview(user, upload('survey,unit,answered_at,q1\n'))).status).toBe(404);
		}
	});

	it('answers 404 to a clerk of Long Xuyên for Châu Đốc, in the chooser, the form and its action', async () => {
		const before = await count();
		const chooser = await run(chooseLoad, {
			user: clerk,
			path: '/entry?survey=test-numbers&unit=AG.CD'
		});
		expect(chooser).toMatchObject({ kind: 'error', status: 404 });
		expect((await run(formLoad, { user: clerk, ...formAt('AG.CD') })).status).toBe(404);
		const post = await run(formActions.default!, {
			user: clerk,
			...formAt('AG.CD'),
			form: sheet('CD-1', { q1: '4' })
		});
		expect(post).toMatchObject({ kind: 'error', status: 404 });
		expect(await count()).toBe(before);
	});

	it('offers a clerk only the units of their subtree, and opens the form for one of them', async () => {
		const chooser = await run(chooseLoad, { user: clerk, path: '/entry' });
		const codes = (chooser.kind === 'ok' ? chooser.data.units : []) as { code: string }[];
		expect(codes.map((u) => u.code)).toContain('AG.LX.BD');
		expect(codes.every((u) => u.code.startsWith('AG.LX'))).toBe(true);
		const open = await run(chooseLoad, {
			user: clerk,
			path: '/entry?survey=test-numbers&unit=AG.LX.BD'
		});
		expect(open).toMatchObject({ location: '/entry/test-numbers/AG.LX.BD', status: 303 });
	});
});

describe('the keyboard entry form', () => {
	it('stores a valid sheet for a clerk, audits it and comes back blank with a saved notice', async () => {
		const before = await count();
		const post = await run(formActions.default!, {
			user: clerk,
			...formAt('AG.LX.BD'),
			form: sheet('LX-100', { q1: '5', q2: 'N', r1: '3', visits: '1', channels: '1,2' })
		});
		expect(post).toMatchObject({
			kind: 'redirect',
			status: 303,
			location: `/entry/test-numbers/AG.LX.BD?saved=LX-100&date=${today}`
		});
		expect(await count()).toBe(before + 1);
		const entered = await audits('response_entered');
		expect(entered.at(-1)).toEqual({
			actor_id: clerk.id,
			target: paperResponseId('test-numbers', 'AG.LX.BD', 'LX-100'),
			detail: { survey: 'test-numbers', unit: 'AG.LX.BD', serial: 'LX-100' }
		});

		const page = await run(formLoad, {
			user: clerk,
			...formAt('AG.LX.BD'),
			path: `/entry/test-numbers/AG.LX.BD?saved=LX-100&date=${today}`
		});
		expect(page.kind === 'ok' && page.data.notice).toBe('Đã lưu phiếu số LX-100.');
		// A notice for a sheet that is not stored is not believed.
		const forged = await run(formLoad, {
			user: clerk,
			...formAt('AG.LX.BD'),
			path: '/entry/test-numbers/AG.LX.BD?saved=NOPE'
		});
		expect(forged.kind === 'ok' && forged.data.notice).toBeNull();
	});

	it('reports the same sheet keyed again as already entered, and other answers as a conflict', async () => {
		const form = sheet('LX-200', { q1: '4' });
		await run(formActions.default!, { user: admin, ...formAt('AG.LX'), form });
		const before = await count();
		const again = await run(formActions.default!, { user: admin, ...formAt('AG.LX'), form });
		expect(again).toMatchObject({
			kind: 'redirect',
			location: expect.stringContaining('already=LX-200')
		});
		const other = await run(formActions.default!, {
			user: admin,
			...formAt('AG.LX'),
			form: sheet('LX-200', { q1: '2' })
		});
		expect(other).toMatchObject({ kind: 'fail', status: 409 });
		expect(other.kind === 'fail' && other.data.errors).toEqual([
			{
				field: '_serial',
				message: 'Phiếu số LX-200 đã được nhập với câu trả lời khác. Kiểm tra lại số phiếu.'
			}
		]);
		expect(await count()).toBe(before);
	});

	it('refuses an invalid sheet with every error and the typed values kept', async () => {
		const before = await count();
		const typed = sheet(
			'LX-300',
			{ q1: '7', r1: 'N', visits: '9', comment: 'ghi chú' },
			'2999-01-01'
		);
		const post = await run(formActions.default!, { user: clerk, ...formAt('AG.LX'), form: typed });
		expect(post).toMatchObject({ kind: 'fail', status: 400 });
		if (post.kind !== 'fail') return;
		expect((post.data.errors as { field: string }[]).map((e) => e.field)).toEqual([
			'_date',
			'q1',
			'r1',
			'visits'
		]);
		expect(post.data.values).toMatchObject(typed);
		expect(await count()).toBe(before);
	});
});

describe('CSV import in the UI', () => {
	const header = 'survey,unit,answered_at,q1,q2,channels';
	const csvOf = (rows: string[], eol = '\n') => [header, ...rows].join(eol);

	it('previews a file with its errors and stores nothing', async () => {
		const csv = csvOf([
			'test-numbers,AG.LX.BD,2018-07-01,5,NA,web|phone',
			'test-numbers,AG.CD,2018-07-01,4,,',
			'test-numbers,AG.LX,2018-07-01,9,,'
		]);
		const before = await count();
		const outcome = await preview(clerk, upload(csv));
		expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		const shown = (outcome.kind === 'fail' ? outcome.data.preview : null) as {
			rows: number;
			errors: { row: number; column: string; message: string }[];
		};
		expect(shown.rows).toBe(3);
		expect(shown.errors).toEqual([
			{ row: 3, column: 'unit', message: 'Đơn vị ngoài phạm vi của tài khoản.' },
			{ row: 4, column: 'q1', message: 'Chọn một mức từ 1 đến 5.' }
		]);
		expect(await count()).toBe(before);
	});

	it('previews a valid file with counts, then the confirmation stores every row and audits it', async () => {
		const csv = csvOf(
			[
				'test-numbers,AG.LX.BD,2018-07-01,5,NA,web|phone',
				'test-numbers,AG.LX.BD,2018-07-02,4,3,',
				'test-numbers,AG.LX,2018-07-03,2,,counter'
			],
			'\r\n'
		);
		const before = await count();
		const outcome = await preview(clerk, upload(csv, 'thang7.csv'));
		expect(outcome.kind).toBe('ok');
		if (outcome.kind !== 'ok') return;
		expect(outcome.data.preview).toMatchObject({
			fileName: 'thang7.csv',
			rows: 3,
			errors: [],
			groups: [
				{ survey: 'test-numbers', unit: 'AG.LX.BD', rows: 2 },
				{ survey: 'test-numbers', unit: 'AG.LX', rows: 1 }
			]
		});
		expect(await count()).toBe(before);

		const token = String(outcome.data.token);
		// Another user cannot confirm this upload.
		const stranger = await confirm(admin, token);
		expect(stranger).toMatchObject({ kind: 'fail', status: 410 });

		const confirmed = await confirm(clerk, token);
		expect(confirmed.kind === 'ok' && confirmed.data.imported).toBe(
			'Đã nhập tệp thang7.csv: lưu 3 phiếu mới, bỏ qua 0 phiếu đã có.'
		);
		expect(await count()).toBe(before + 3);
		expect((await audits('responses_imported')).at(-1)).toEqual({
			actor_id: clerk.id,
			target: 'thang7.csv',
			detail: { rows: 3, stored: 3, file: 'thang7.csv' }
		});
		// The upload is used up: confirming again imports nothing more.
		const replay = await confirm(clerk, token);
		expect(replay).toMatchObject({ kind: 'fail', status: 410 });
		expect(await count()).toBe(before + 3);
	});

	it('stores an upload once when it is confirmed twice at the same moment', async () => {
		const csv = csvOf(['test-numbers,AG.LX,2018-08-01,5,,', 'test-numbers,AG.LX,2018-08-02,4,,']);
		const before = await count();
		const outcome = await preview(clerk, upload(csv));
		const token = outcome.kind === 'ok' ? String(outcome.data.token) : '';
		const both = await Promise.all([confirm(clerk, token), confirm(clerk, token)]);
		expect(both.map((o) => o.kind).sort()).toEqual(['fail', 'ok']);
		expect(await count()).toBe(before + 2);
	});

	it('takes paper questionnaires only: a row claiming another channel is an error', async () => {
		const csv = 'survey,unit,answered_at,channel,q1\ntest-numbers,AG.LX,2018-07-01,kiosk,5\n';
		const outcome = await preview(clerk, upload(csv));
		const shown = (outcome.kind === 'fail' ? outcome.data.preview : null) as {
			errors: { row: number; column: string }[];
		};
		expect(shown.errors).toMatchObject([{ row: 2, column: 'channel' }]);
	});

	it('refuses a file over 5 MB, a missing file and a file that is not UTF-8', async () => {
		const big = await preview(admin, upload(csvOf(['x'.repeat(5 * 1024 * 1024)])));
		expect(big).toMatchObject({ kind: 'fail', status: 413 });
		const none = await preview(admin, new FormData());
		expect(none).toMatchObject({ kind: 'fail', status: 400 });
		const latin1 = new FormData();
		latin1.append('file', new File([new Uint8Array([0x73, 0xe9, 0x0a])], 'x.csv'));
		const notUtf8 = await preview(admin, latin1);
		expect(notUtf8.kind === 'fail' && notUtf8.data.message).toMatch(/UTF-8/);
	});
});
