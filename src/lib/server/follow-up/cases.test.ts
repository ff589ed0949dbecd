import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRow, touchpointAt } from '$tests/helpers/responses';
import { staffUser } from '$tests/helpers/staff';
import { startNumbersApp } from '$tests/helpers/test-app';
import { foldVietnamese } from '$lib/survey/comments';
import type { App } from '../app';
import * as comments from './comments';
import { sql } from '../db';
import * as followUp from './cases';
import * as responses from '../responses';
import type { Touchpoint } from '../touchpoints';

let app: App;
let lx: Touchpoint; // Long Xuyên
let actor: { id: string; email: string };

beforeAll(async () => {
	app = await startNumbersApp();
	lx = await touchpointAt(app, 'test-numbers', 'AG.LX');
	const manager = await staffUser(app, 'manager', 'AG.LX');
	actor = { id: manager.id, email: manager.email };
});
afterAll(() => app.db.close());

async function submit(
	touchpoint: Touchpoint,
	answers: Record<string, unknown>,
	extra: Partial<responses.Submission> = {}
) {
	const id = extra.id ?? crypto.randomUUID();
	const result = await responses.store(app.db, app.surveys, {
		id,
		touchpoint,
		reportedAt: new Date('2026-07-10T03:00:00Z'),
		receivedAt: new Date('2026-07-10T03:00:10Z'),
		locale: 'vi',
		answers,
		...extra
	});
	return { id, result };
}

async function caseOf(responseId: string) {
	const [row] = await app.db.query<{ id: number; status: string }>(
		sql`select id, status from follow_up_cases where response_id = ${responseId}::uuid`
	);
	return row;
}

describe('vn_fold() in the database', () => {
	it('folds every Vietnamese letter exactly as foldVietnamese() does', async () => {
		const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
		const all = letters + letters.toUpperCase();
		const sentences = [all, 'Thái độ CÁN BỘ rất tốt, phí 100.000đ!', 'Đường vào ỦY BAN khó đi'];
		for (const text of sentences) {
			const [row] = await app.db.query<{ f: string }>(sql`select vn_fold(${text}) as f`);
			expect(row!.f).toBe(foldVietnamese(text));
		}
	});
});

describe('a case opens with the response, and only when there is something to follow up', () => {
	it('opens for a low rating with a comment, in the same unit', async () => {
		const { id } = await submit(lx, { q1: 2, comment: 'Chờ quá lâu' });
		const found = await caseOf(id);
		expect(found?.status).toBe('new');
		const [row] = await app.db.query<{ unit_code: string; comment: string; low_rating: boolean }>(
			sql`select unit_code, comment, low_rating from responses where id = ${id}::uuid`
		);
		expect(row).toEqual({ unit_code: 'AG.LX', comment: 'Chờ quá lâu', low_rating: true });
	});

	it('opens for a low rating with consented contact details and no comment', async () => {
		const { id } = await submit(
			lx,
			{ q1: 1 },
			{ contact: { name: 'Nguyễn Văn A', phone: '0912345678', purpose: 'follow_up' } }
		);
		expect(await caseOf(id)).toBeDefined();
	});

	it('does not open for a low rating alone, nor for a satisfied citizen who commented', async () => {
		const low = await submit(lx, { q1: 1 });
		const pleased = await submit(lx, { q1: 5, comment: 'Rất tốt' });
		const neutral = await submit(lx, { q1: 3, comment: 'Tạm được' });
		expect(await caseOf(low.id)).toBeUndefined();
		expect(await caseOf(pleased.id)).toBeUndefined();
		expect(await caseOf(neutral.id)).toBeUndefined();
	});

	it('opens one case for a replayed response, none for a flagged duplicate', async () => {
		const first = await submit(lx, { q1: 2, comment: 'Lặp lại' }, { clientHash: 'client-x' });
		const replay = await submit(
			lx,
			{ q1: 2, comment: 'Lặp lại' },
			{ id: first.id, clientHash: 'client-x' }
		);
		expect(replay.result.status).toBe('duplicate');
		const again = await submit(lx, { q1: 2, comment: 'Lặp lại' }, { clientHash: 'client-x' });
		expect(again.result.status).toBe('stored');
		const [count] = await app.db.query<{ n: number }>(sql`
			select count(*)::int as n from follow_up_cases
			where response_id in (${first.id}::uuid, ${again.id}::uuid)`);
		expect(count!.n).toBe(1);
	});

	it('opens cases on the bulk path too (paper imports)', async () => {
		const rows = [{ q1: 2, comment: 'Thiếu nhiệt tình' }, { q1: 2 }, { q1: 4, comment: 'Tốt' }].map(
			(answers) => paperRow(app, answers)
		);
		expect(await responses.insertMany(app.db, rows)).toBe(3);
		expect(await caseOf(rows[0]!.id)).toBeDefined();
		expect(await caseOf(rows[1]!.id)).toBeUndefined();
		expect(await caseOf(rows[2]!.id)).toBeUndefined();
	});
});

describe('a case moves new → in progress → resolved', () => {
	it('takes each step once, records who did what, and refuses the rest', async () => {
		const { id: responseId } = await submit(lx, { q1: 1, comment: 'Thu thêm phí' });
		const id = (await caseOf(responseId))!.id;
		const step = (
			seen: followUp.CaseStatus,
			to: followUp.CaseStatus,
			actionTaken = '',
			reply = ''
		) => followUp.move(app.db, { id, seen, to, actionTaken, reply, actor, client: null });

		expect(await step('new', 'resolved', 'x', 'y')).toEqual({ ok: false, reason: 'step' });
		expect(await step('new', 'in_progress')).toEqual({ ok: true });
		// A second tab still showing "new" is told the case has moved on.
		expect(await step('new', 'in_progress')).toEqual({ ok: false, reason: 'changed' });
		expect(await step('in_progress', 'resolved', 'Đã kiểm tra', '')).toEqual({
			ok: false,
			reason: 'answer_required'
		});
		expect(await step('in_progress', 'in_progress', 'Đang xác minh')).toEqual({ ok: true });
		expect(
			await step('in_progress', 'resolved', 'Đã nhắc nhở cán bộ', 'Cơ quan xin lỗi Ông/Bà')
		).toEqual({ ok: true });
		expect(await step('resolved', 'in_progress')).toEqual({ ok: false, reason: 'step' });

		const detail = (await followUp.get(app.db, id, 15))!;
		expect(detail.status).toBe('resolved');
		expect(detail.resolvedAt).not.toBeNull();
		expect(detail.actionTaken).toBe('Đã nhắc nhở cán bộ');
		expect(detail.reply).toBe('Cơ quan xin lỗi Ông/Bà');
		expect(detail.events.map((e) => [e.status, e.userEmail])).toEqual([
			['in_progress', actor.email],
			['in_progress', actor.email],
			['resolved', actor.email]
		]);
		const audits = await app.db.query<{ target: string }>(
			sql`select target from audit_log where action = 'case_updated' and target = ${String(id)}`
		);
		expect(audits).toHaveLength(3);
		expect(
			await followUp.move(app.db, {
				id: 99_999_999,
				seen: 'new',
				to: 'in_progress',
				actionTaken: '',
				reply: '',
				actor,
				client: null
			})
		).toEqual({ ok: false, reason: 'not_found' });
	});

	it('reads the form strictly: known fields only, NFC, no control characters, 2000 characters', () => {
		const ok = followUp.caseStep.safeParse({
			seen: 'new',
			to: 'in_progress',
			actionTaken: 'Thái độ'.normalize('NFD') + '\r\ndòng 2',
			reply: ''
		});
		expect(ok.success && ok.data.actionTaken).toBe('Thái độ\ndòng 2'.normalize('NFC'));
		const bad = (form: Record<string, string>) =>
			followUp.caseStep.safeParse({ seen: 'new', to: 'in_progress', ...form }).error?.issues[0]
				?.message;
		expect(bad({ extra: '1' })).toBeDefined();
		expect(bad({ reply: 'a\u0000b' })).toBe('chars');
		expect(bad({ reply: 'x\u202Eevil' })).toBe('chars');
		expect(bad({ reply: 'x'.repeat(2001) })).toBe('too_long');
		expect(bad({ to: 'closed' })).toBeDefined();
	});
});

describe('the inbox and the time to resolve', () => {
	let unit: string;

	beforeAll(async () => {
		// A unit of its own under AG.CD, so the counts below are only this block's cases.
		unit = 'AG.CD.FU';
		await app.db.query(sql`
			insert into units (code, parent_code, kind, name_vi, name_en)
			values (${unit}, 'AG.CD', 'ward', 'Phường thử', 'Test ward'),
				(${unit + '.A'}, ${unit}, 'office', 'Tổ A', 'Team A')`);
	});

	/** A case opened `openedDaysAgo` days ago, resolved after `resolvedAfterDays` (or open). */
	async function caseAt(code: string, openedDaysAgo: number, resolvedAfterDays: number | null) {
		const tp = await touchpointAt(app, 'test-numbers', code);
		const { id: responseId } = await submit(tp, { q1: 1, comment: 'Chậm' });
		const id = (await caseOf(responseId))!.id;
		await app.db.query(sql`
			update follow_up_cases set opened_at = now() - make_interval(days => ${openedDaysAgo}),
				status = case when ${resolvedAfterDays}::int is null then 'new' else 'resolved' end,
				resolved_at = now() - make_interval(days => ${openedDaysAgo})
					+ make_interval(days => ${resolvedAfterDays}::int)
			where id = ${id}`);
		return id;
	}

	it('lists open cases oldest first, flags the overdue, and honours the configured days', async () => {
		const late = await caseAt(unit, 20, null);
		const fresh = await caseAt(unit + '.A', 3, null);
		const done = await caseAt(unit, 30, 4);
		const view = (v: followUp.InboxView, dueDays = 15) =>
			followUp.inbox(app.db, { unitCode: unit, view: v, dueDays, page: 1 });

		const open = await view('open');
		expect(open.rows.map((c) => [c.id, c.overdue])).toEqual([
			[late, true],
			[fresh, false]
		]);
		expect((await view('overdue')).rows.map((c) => c.id)).toEqual([late]);
		expect((await view('resolved')).rows.map((c) => c.id)).toEqual([done]);
		expect((await view('all')).total).toBe(3);
		// With 30 days to answer, nothing here is late.
		expect((await view('overdue', 30)).total).toBe(0);
		// Another district's inbox holds none of them.
		const lxAll = await followUp.inbox(app.db, {
			unitCode: 'AG.LX',
			view: 'all',
			dueDays: 15,
			page: 1
		});
		expect(lxAll.rows.map((c) => c.id)).not.toContain(late);
	});

	it('reports time to resolve per branch, hand-computed', async () => {
		// Branch A: resolved after 2, 4 and 10 days, one open for 20 days. Median 4, mean 16/3.
		await caseAt(unit + '.A', 25, 2);
		await caseAt(unit + '.A', 25, 4);
		await caseAt(unit + '.A', 25, 10);
		const now = new Date();
		const range = {
			from: new Date(now.getTime() - 60 * 86_400_000).toISOString().slice(0, 10),
			to: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10)
		};
		const rows = await followUp.resolution(app.db, unit, range, 15);
		const a = rows.find((r) => r.unitCode === unit + '.A')!;
		// The earlier test's open 3-day case belongs to branch A too.
		expect(a).toMatchObject({ opened: 4, resolved: 3, open: 1, overdue: 0, resolvedInTime: 3 });
		expect(a.medianDays).toBeCloseTo(4, 6);
		expect(a.meanDays).toBeCloseTo(16 / 3, 6);
		// The unit's own cases: one open for 20 days (overdue), one resolved after 4.
		const own = rows.find((r) => r.unitCode === unit)!;
		expect(own).toMatchObject({ opened: 2, resolved: 1, open: 1, overdue: 1, resolvedInTime: 1 });
		expect(own.medianDays).toBeCloseTo(4, 6);
		// A period before any of them: nothing.
		expect(
			await followUp.resolution(app.db, unit, { from: '2020-01-01', to: '2020-03-31' }, 15)
		).toEqual([]);
	});
});

describe('the comments list', () => {
	const july = { from: '2026-07-01', to: '2026-07-31' };
	const list = (filter: Partial<comments.CommentFilter>) =>
		comments.list(app.db, {
			unitCode: 'AG.CD',
			range: july,
			lowOnly: false,
			search: '',
			page: 1,
			...filter
		});

	it('finds comments without accents or case, in the subtree and period only', async () => {
		const tp = await touchpointAt(app, 'test-numbers', 'AG.CD');
		const wanted = await submit(tp, { q1: 2, comment: 'Thái độ CÁN BỘ kém' });
		await submit(tp, { q1: 5, comment: 'Nhanh gọn' });
		// 1 August 00:30 in Viet Nam is 31 July 17:30 UTC: August, outside July.
		await submit(
			tp,
			{ q1: 2, comment: 'Thái độ tháng tám' },
			{
				reportedAt: new Date('2026-07-31T17:30:00Z'),
				receivedAt: new Date('2026-07-31T17:30:05Z')
			}
		);
		await submit(lx, { q1: 2, comment: 'Thái độ ở Long Xuyên' });

		for (const search of ['thai do', 'THÁI ĐỘ', 'Thái độ'.normalize('NFD'), 'can bo thai']) {
			const found = await list({ search });
			expect(found.rows.map((r) => r.responseId)).toEqual([wanted.id]);
		}
		expect((await list({ search: 'nhanh' })).total).toBe(1);
		expect((await list({ lowOnly: true, search: 'nhanh' })).total).toBe(0);
		// A % or _ in the search is text, not a pattern.
		expect((await list({ search: '%' })).total).toBe(0);
		const row = (await list({ search: 'thai do can bo' })).rows[0]!;
		expect(row).toMatchObject({
			unitCode: 'AG.CD',
			lowRating: true,
			comment: 'Thái độ CÁN BỘ kém'
		});
		expect(row.caseId).toBe((await caseOf(wanted.id))!.id);
	});

	it('pages fifty at a time', async () => {
		const tp = await touchpointAt(app, 'test-numbers', 'AG.CD.FU');
		for (let i = 0; i < 51; i++) await submit(tp, { q1: 4, comment: `Góp ý số ${i}` });
		const first = await list({ unitCode: 'AG.CD.FU', search: 'gop y so' });
		const second = await list({ unitCode: 'AG.CD.FU', search: 'gop y so', page: 2 });
		expect(first.total).toBe(51);
		expect(first.rows).toHaveLength(50);
		expect(second.rows).toHaveLength(1);
		expect(new Set([...first.rows, ...second.rows].map((r) => r.responseId)).size).toBe(51);
	});
});
