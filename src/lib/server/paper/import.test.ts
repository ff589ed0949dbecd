import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countResponses } from '$tests/helpers/responses';
import { startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { sql } from '../db';
import { importCsv } from './import';

let app: App;
beforeAll(async () => {
	app = await startNumbersApp();
});
afterAll(() => app.db.close());

const run = (csv: string) => importCsv(app.db, app.surveys, Readable.from([csv]));
const count = () => countResponses(app);

const header = 'survey,unit,answered_at,id,q1,q2,r1,visits,q3,comment,channels';
const good = [
	'test-numbers,AG.LX.BD,2018-07-01,6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c,5,NA,3,2,4,"Tốt, nhanh",web|phone',
	'test-numbers,AG.LX.BD,2018-06-30T23:30:00+07:00,7b4c1d2f-2e3f-4a6b-9c0d-1e2f3a4b5c6d,2,,,1,,,',
	'test-numbers,AG.CD,2018-08-15T10:00:00Z,8c5d2e3a-3f4a-4b7c-8d1e-2f3a4b5c6d7e,4,4,2,,,"=HYPERLINK(""x"")",'
];

describe('CSV import of paper questionnaires', () => {
	it('imports every row, dates in Viet Nam time, and a re-import adds nothing', async () => {
		const before = await count();
		const csv = '\uFEFF' + [header, ...good].join('\r\n') + '\r\n';
		expect(await run(csv)).toEqual({ ok: true, rows: 3, stored: 3, skipped: 0 });
		expect(await count()).toBe(before + 3);
		expect(await run(csv)).toEqual({ ok: true, rows: 3, stored: 0, skipped: 3 });
		expect(await count()).toBe(before + 3);

		const rows = await app.db.query<{
			id: string;
			local_date: string;
			channel: string;
			answers: Record<string, unknown>;
		}>(sql`
			select id::text, local_date::text, channel, answers from responses
			where id in ('6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c', '7b4c1d2f-2e3f-4a6b-9c0d-1e2f3a4b5c6d', '8c5d2e3a-3f4a-4b7c-8d1e-2f3a4b5c6d7e')
			order by id`);
		expect(rows.map((r) => [r.local_date, r.channel])).toEqual([
			['2018-07-01', 'paper'],
			['2018-06-30', 'paper'],
			['2018-08-15', 'paper']
		]);
		expect(rows[0]!.answers).toEqual({
			q1: 5,
			q2: 'NA',
			r1: 3,
			visits: '2',
			q3: 4,
			comment: 'Tốt, nhanh',
			channels: ['web', 'phone']
		});
		expect(rows[2]!.answers.comment).toBe('=HYPERLINK("x")'); // kept as data; neutralised on export
	});

	it('rejects the whole file when one row is bad, listing every error by row and column', async () => {
		const before = await count();
		const csv = [
			header,
			'test-numbers,AG.LX,2018-07-02,,4,,,,,,',
			'test-numbers,AG.NOWHERE,2018-13-45,,7,,,,,,fax',
			'no-such-survey,AG.LX,2018-07-02,,4,,,,,,',
			'test-numbers,AG.LX,2018-07-02,not-a-uuid,,,,,,,'
		].join('\n');
		const result = await run(csv);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.map((e) => [e.row, e.column])).toEqual([
			[3, 'unit'],
			[3, 'answered_at'],
			[3, 'q1'],
			[3, 'channels'],
			[4, 'survey'],
			[5, 'id'],
			[5, 'q1']
		]);
		expect(result.errors[2]!.message).toBe('Chọn một mức từ 1 đến 5.');
		expect(await count()).toBe(before);
	});

	it('rejects unknown columns, a missing required column, repeated ids and ids stored with other content', async () => {
		const before = await count();
		const unknown = await run(
			'survey,unit,answered_at,q1,bogus\ntest-numbers,AG.LX,2018-07-02,4,1\n'
		);
		expect(unknown.ok || unknown.errors.map((e) => [e.row, e.column])).toEqual([[1, 'bogus']]);
		const missing = await run('survey,unit,q1\ntest-numbers,AG.LX,4\n');
		expect(missing.ok || missing.errors.map((e) => [e.row, e.column])).toEqual([
			[1, 'answered_at'],
			[2, 'answered_at']
		]);
		const id = '9d6e3f4b-4a5b-4c8d-9e2f-3a4b5c6d7e8f';
		const repeated = await run(
			`survey,unit,answered_at,id,q1\ntest-numbers,AG.LX,2018-07-02,${id},4\ntest-numbers,AG.LX,2018-07-02,${id},4\n`
		);
		expect(repeated.ok || repeated.errors.map((e) => [e.row, e.column])).toEqual([[3, 'id']]);
		const conflict = await run(
			`survey,unit,answered_at,id,q1\ntest-numbers,AG.LX.BD,2018-07-01,6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c,1\n`
		);
		expect(conflict.ok || conflict.errors.map((e) => [e.row, e.column])).toEqual([[2, 'id']]);
		expect(await count()).toBe(before);
	});

	it('reports a malformed CSV instead of failing', async () => {
		const result = await run('survey,unit,answered_at,q1\n"test-numbers,AG.LX,2018-07-02,4\n');
		expect(result.ok).toBe(false);
	});

	it('refuses dates outside the years the database stores instead of failing on insert', async () => {
		const before = await count();
		const result = await run(
			[
				'survey,unit,answered_at,q1',
				'test-numbers,AG.LX,0000-01-01,4',
				'test-numbers,AG.LX,0000-06-01T10:00:00Z,4',
				'test-numbers,AG.LX,9999-12-31T23:59:59-14:00,4'
			].join('\n')
		);
		expect(result.ok || result.errors.map((e) => [e.row, e.column])).toEqual([
			[2, 'answered_at'],
			[3, 'answered_at'],
			[4, 'answered_at']
		]);
		expect(await count()).toBe(before);
	});

	it('refuses a date in the future', async () => {
		const result = await run('survey,unit,answered_at,q1\ntest-numbers,AG.LX,2999-01-01,4\n');
		expect(result.ok || result.errors.map((e) => e.column)).toEqual(['answered_at']);
	});
});
