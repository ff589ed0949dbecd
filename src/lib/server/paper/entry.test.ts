import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { staffUser } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import type { SessionUser } from '../auth';
import { sql } from '../db';
import { enter, paperResponseId, type PaperSheet } from './entry';

let app: App;
let clerk: SessionUser;
// 10:00 on 2026-03-15 in Viet Nam.
const now = new Date('2026-03-15T03:00:00Z');

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	clerk = await staffUser(app, 'clerk', 'AG.LX');
});
afterAll(() => app.db.close());

const sheet = (
	serial: string,
	values: Record<string, string>,
	date = '2026-03-14'
): PaperSheet => ({
	serial,
	date,
	values
});
const enterSheet = (s: PaperSheet, unitCode = 'AG.LX.BD') =>
	enter(app.db, app.surveys.current('test-numbers')!, {
		unitCode,
		rootUnit: 'AG',
		sheet: s,
		actor: { id: clerk.id, email: clerk.email },
		client: '192.0.2.7',
		locale: 'vi',
		now
	});

async function count() {
	const [row] = await app.db.query<{ n: number }>(sql`select count(*)::int as n from responses`);
	return row!.n;
}

async function stored(id: string) {
	return app.db.query<{
		answers: Record<string, unknown>;
		scores: number[];
		channel: string;
		local_date: string;
		serial: string;
		entered_by: string;
		touchpoint_id: number | null;
	}>(sql`
		select answers, scores, channel, local_date::text, serial, entered_by, touchpoint_id
		from responses where id = ${id}`);
}

describe('keying in a paper questionnaire', () => {
	it('maps digits, N, option numbers and text to the answers the survey takes, with scores', async () => {
		const result = await enterSheet(
			sheet(' A-001 ', {
				q1: '5',
				q2: 'n',
				r1: '2',
				visits: '2',
				q3: ' 4 ',
				comment: 'Tốt lắm',
				pct: '80',
				channels: '3, 1'
			})
		);
		expect(result).toEqual({
			status: 'stored',
			id: paperResponseId('test-numbers', 'AG.LX.BD', 'A-001'),
			serial: 'A-001'
		});
		const [row] = await stored(paperResponseId('test-numbers', 'AG.LX.BD', 'A-001'));
		expect(row).toEqual({
			answers: {
				q1: 5,
				q2: 'NA',
				r1: 2,
				visits: '2',
				q3: 4,
				comment: 'Tốt lắm',
				pct: 80,
				channels: ['web', 'counter']
			},
			// q1, q2, r1, q3: N/A is 0
			scores: [5, 0, 2, 4],
			channel: 'paper',
			local_date: '2026-03-14',
			serial: 'A-001',
			entered_by: clerk.id,
			touchpoint_id: null
		});
		const audits = await app.db.query<{ actor_id: string; detail: Record<string, unknown> }>(
			sql`select actor_id, detail from audit_log where action = 'response_entered' and target = ${result.status === 'stored' ? result.id : ''}`
		);
		expect(audits).toEqual([
			{ actor_id: clerk.id, detail: { survey: 'test-numbers', unit: 'AG.LX.BD', serial: 'A-001' } }
		]);
	});

	it('refuses out-of-range and unreadable values, listing every problem in form order; nothing stored', async () => {
		const before = await count();
		const result = await enterSheet(
			sheet(
				'',
				{ q2: '7', r1: 'N', visits: '4', pct: '101', channels: '1 1', comment: '' },
				'2026-02-30'
			)
		);
		expect(result.status).toBe('invalid');
		if (result.status !== 'invalid') return;
		expect(result.errors).toEqual([
			{ field: '_serial', message: 'Nhập số phiếu.' },
			{ field: '_date', message: 'Nhập ngày ghi trên phiếu theo dạng YYYY-MM-DD (từ năm 2000).' },
			{ field: 'q1', message: 'Câu bắt buộc: nhập câu trả lời ghi trên phiếu.' },
			{ field: 'q2', message: 'Nhập một chữ số từ 1 đến 5, hoặc N nếu không ý kiến.' },
			{ field: 'r1', message: 'Câu này không có lựa chọn “Không ý kiến” (N); nhập một chữ số.' },
			{ field: 'visits', message: 'Nhập số thứ tự của một phương án, từ 1 đến 3.' },
			{ field: 'pct', message: 'Nhập một số nguyên từ 0 đến 100.' },
			{ field: 'channels', message: 'Mỗi phương án chỉ nhập một lần.' }
		]);
		expect(await count()).toBe(before);
	});

	it('refuses a date after today in Viet Nam, and accepts today', async () => {
		const tomorrow = await enterSheet(sheet('F-1', { q1: '4' }, '2026-03-16'));
		expect(tomorrow.status === 'invalid' && tomorrow.errors).toEqual([
			{ field: '_date', message: 'Ngày ghi trên phiếu không được ở tương lai.' }
		]);
		const today = await enterSheet(sheet('F-1', { q1: '4' }, '2026-03-15'));
		expect(today.status).toBe('stored');
	});

	it('stores a sheet keyed twice once, and reports different answers under the same serial as a conflict', async () => {
		const first = await enterSheet(sheet('B-7', { q1: '3', comment: 'x' }));
		expect(first.status).toBe('stored');
		const again = await enterSheet(sheet('B-7', { q1: '3', comment: 'x' }));
		expect(again.status).toBe('duplicate');
		const other = await enterSheet(sheet('B-7', { q1: '4', comment: 'x' }));
		expect(other.status).toBe('conflict');
		const otherDate = await enterSheet(sheet('B-7', { q1: '3', comment: 'x' }, '2026-03-01'));
		expect(otherDate.status).toBe('conflict');
		const rows = await app.db.query<{ n: number; q1: number }>(
			sql`select count(*)::int as n, min((answers->>'q1')::int)::int as q1 from responses where serial = 'B-7'`
		);
		expect(rows).toEqual([{ n: 1, q1: 3 }]);
		const audits = await app.db.query<{ n: number }>(
			sql`select count(*)::int as n from audit_log where action = 'response_entered' and detail->>'serial' = 'B-7'`
		);
		expect(audits[0]!.n).toBe(1);
	});

	it('keeps the same serial apart at another unit', async () => {
		const here = paperResponseId('test-numbers', 'AG.LX.BD', 'C-1');
		const there = paperResponseId('test-numbers', 'AG.LX.BK', 'C-1');
		expect(here).not.toBe(there);
		expect(here).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect((await enterSheet(sheet('C-1', { q1: '1' }))).status).toBe('stored');
		expect((await enterSheet(sheet('C-1', { q1: '2' }), 'AG.LX.BK')).status).toBe('stored');
	});

	it('refuses a serial that is too long or holds control characters', async () => {
		const long = await enterSheet(sheet('x'.repeat(41), { q1: '4' }));
		expect(long.status === 'invalid' && long.errors.map((e) => e.message)).toEqual([
			'Số phiếu tối đa 40 ký tự.'
		]);
		const control = await enterSheet(sheet('A\u0000B', { q1: '4' }));
		expect(control.status === 'invalid' && control.errors.map((e) => e.field)).toEqual(['_serial']);
	});
});
