import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { run, staffUser } from '$tests/helpers/staff';
import { startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import { responseTable, csvStream } from '$lib/server/exports';
import type { Queryable } from '$lib/server/db';
import { GET as responsesGet } from './responses/+server';
import { GET as resultsGet } from './results/+server';

let app: App;
let analyst: SessionUser;

// Times in Viet Nam: 2026-09-30 23:30 is still Q3 there (16:30 UTC); 2026-10-01 00:10 is Q4.
beforeAll(async () => {
	app = await startNumbersApp();
	analyst = await staffUser(app, 'analyst');
	const lx = await touchpointAt(app, 'test-numbers', 'AG.LX.MB');
	const cd = await touchpointAt(app, 'test-numbers', 'AG.CD');
	await answer(app, lx, '2026-07-02T09:00:00+07:00', {
		q1: 4,
		q2: 'NA',
		r1: 3,
		visits: '2',
		q3: 1,
		comment: '=HYPERLINK("x")',
		channels: ['web', 'counter']
	});
	await answer(app, lx, '2026-09-30T23:30:00+07:00', { q1: 5, comment: 'Tốt' });
	await answer(app, lx, '2026-10-01T00:10:00+07:00', { q1: 1 });
	await answer(app, cd, '2026-08-01T10:00:00+07:00', { q1: 2 });
});
afterAll(() => app.db.close());

async function download(
	handler: typeof responsesGet | typeof resultsGet,
	query: string,
	user = analyst
) {
	const out = await run(handler, { user, path: `/exports/x?${query}` });
	if (out.kind !== 'ok') return { status: out.status, body: null, response: null };
	const response = out.data.response as Response;
	return { status: response.status, body: new Uint8Array(await response.arrayBuffer()), response };
}

const csvRows = (bytes: Uint8Array) =>
	parse(new TextDecoder().decode(bytes), { bom: true, relax_column_count: false }) as string[][];

describe('response export', () => {
	it('writes every response of the subtree and quarter as CSV, labelled in Vietnamese', async () => {
		const got = await download(responsesGet, 'survey=test-numbers&unit=AG.LX&period=2026-Q3');
		expect(got.status).toBe(200);
		expect(got.response!.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(got.response!.headers.get('cache-control')).toBe('no-store');
		expect([...got.body!.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const [header, ...rows] = csvRows(got.body!);
		// The fixed columns, as a spreadsheet shows them left to right.
		const fixed =
			'Mã phiếu | Ngày | Thời điểm (giờ Việt Nam) | Mã đơn vị | Tên đơn vị | Kênh | Ngôn ngữ | Phiên bản phiếu | Ghi chú';
		expect(header!.slice(0, 9)).toEqual(fixed.split(' | '));
		expect(header).toContain('C1. Câu 1 [q1]');
		// AG.CD is outside the subtree; 1 October in Viet Nam is the next quarter.
		expect(rows.map((r) => r[1])).toEqual(['2026-07-02', '2026-09-30']);
		const first = Object.fromEntries(header!.map((h, i) => [h, rows[0]![i]]));
		expect(first).toMatchObject({
			'Mã đơn vị': 'AG.LX.MB',
			Kênh: 'Mã QR',
			'Thời điểm (giờ Việt Nam)': '2026-07-02 09:00:00',
			'C1. Câu 1 [q1]': '4 – Hài lòng',
			'C2. Câu 2 [q2]': 'Không ý kiến',
			'C3. Câu 3 [r1]': '3 – Rất hài lòng',
			'C4. Số lần đi lại [visits]': 'Hai lần',
			'C5. Câu 5 [q3]': '1 – Rất không hài lòng',
			// A spreadsheet would run this as a formula: it is neutralised.
			'C6. Góp ý [comment]': `'=HYPERLINK("x")`,
			'C8. Kênh [channels]': 'Web; Quầy'
		});
	});

	it('writes the same rows as XLSX, as string cells', async () => {
		const got = await download(
			responsesGet,
			'survey=test-numbers&unit=AG.LX&period=2026-Q3&format=xlsx'
		);
		expect(got.status).toBe(200);
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(got.body!.buffer as ArrayBuffer);
		const sheet = book.worksheets[0]!;
		expect(sheet.name).toBe('Phiếu trả lời');
		expect(sheet.rowCount).toBe(3);
		expect(sheet.getRow(1).getCell(1).value).toBe('Mã phiếu');
		const comment = sheet.getRow(2).values as unknown[];
		expect(comment).toContain('=HYPERLINK("x")');
		expect(sheet.getRow(2).getCell(comment.indexOf('=HYPERLINK("x")')).formula).toBeUndefined();
	});

	it('reads the table page by page: the first rows leave before the rest is read', async () => {
		// Each statement and how many rows it returned: pages with rows are what memory holds.
		const answered: number[] = [];
		const counting: Queryable = {
			query: (async (statement: unknown) => {
				const rows = await app.db.query(statement as never);
				answered.push(rows.length);
				return rows;
			}) as Queryable['query']
		} as Queryable;
		const table = responseTable(
			counting,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG', range: { from: '2026-01-01', to: '2026-12-31' } },
			{ batch: 1 }
		);
		const reader = csvStream(table).getReader();
		await reader.read();
		expect(answered).toEqual([]);
		const pagesRead = () => answered.slice(1).filter((n) => n > 0).length;
		let sent = 0;
		let text = '';
		for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
			sent++;
			// The page sent and at most the next one, read ahead while this one is written.
			expect(pagesRead()).toBeLessThanOrEqual(sent + 1);
			text += new TextDecoder().decode(chunk.value);
		}
		// Four answers, one a page: four pages, and one statement for each unit of the province.
		expect(sent).toBe(4);
		expect(pagesRead()).toBe(4);
		expect(text.trim().split('\r\n')).toHaveLength(4);
	});

	it('pages through the table without losing or repeating a row', async () => {
		// Three answers on one day, so pages also split a day.
		const tc = await touchpointAt(app, 'test-numbers', 'AG.TC');
		for (let i = 0; i < 3; i++) await answer(app, tc, '2025-03-03T10:00:00+07:00', { q1: 3 });
		const query = {
			surveyId: 'test-numbers',
			unitCode: 'AG',
			range: { from: '2025-01-01', to: '2026-12-31' }
		};
		const read = async (batch: number) => {
			const all: string[][] = [];
			for await (const rows of responseTable(app.db, app.surveys, query, { batch }).rows)
				all.push(...rows);
			return all;
		};
		const whole = await read(1000);
		expect(whole).toHaveLength(7);
		expect(await read(1)).toEqual(whole);
		expect(await read(2)).toEqual(whole);
		expect(await read(3)).toEqual(whole);
		expect(new Set(whole.map((r) => r[0])).size).toBe(7);
		// Unit by unit, each in date order.
		const keys = whole.map((r) => `${r[3]} ${r[1]}`);
		expect(keys).toEqual([...keys].sort());
	});

	it('audits each export and refuses bad requests with 4xx and nothing written', async () => {
		const before = (await listAudit(app.db, { action: 'export' })).length;
		await download(responsesGet, 'survey=test-numbers&unit=AG&period=2026-Q3');
		const entries = await listAudit(app.db, { action: 'export' });
		expect(entries.length).toBe(before + 1);
		expect(entries[0]).toMatchObject({
			actorEmail: analyst.email,
			target: 'test-numbers',
			detail: { kind: 'responses', format: 'csv', unit: 'AG', from: '2026-07-01', to: '2026-09-30' }
		});
		for (const [query, status] of [
			['survey=test-numbers&unit=AG&period=2026-Q3&format=pdf', 400],
			['survey=nope&unit=AG&period=2026-Q3', 404],
			['survey=test-numbers&unit=XX&period=2026-Q3', 404],
			['survey=test-numbers&unit=AG&period=2026-Q5', 400],
			['unit=AG&period=2026-Q3', 400]
		] as const) {
			expect((await download(responsesGet, query)).status, query).toBe(status);
		}
		expect((await listAudit(app.db, { action: 'export' })).length).toBe(before + 1);
	});

	it('is for analysts and administrators only', async () => {
		for (const role of ['manager', 'clerk'] as const) {
			const user = await staffUser(app, role, 'AG.LX');
			const got = await download(responsesGet, 'survey=test-numbers&unit=AG.LX', user);
			expect(got.status).toBe(404);
		}
	});
});

describe('export slots', () => {
	const query = 'survey=test-numbers&unit=AG.LX&period=2026-Q3';
	const open = async (user: SessionUser) => {
		const out = await run(responsesGet, { user, path: `/exports/x?${query}` });
		return out.kind === 'ok'
			? { status: out.status, response: out.data.response as Response }
			: { status: out.status, message: out.kind === 'error' ? out.message : '' };
	};

	it('lets a user run one download at a time, until it is read to the end or abandoned', async () => {
		const user = await staffUser(app, 'analyst');
		const audited = (await listAudit(app.db, { action: 'export' })).length;
		const first = await open(user);
		expect(first.status).toBe(200);
		const second = await open(user);
		expect(second).toEqual({
			status: 429,
			message: 'Bạn đang có một tệp xuất chưa tải xong. Chờ tệp đó tải xong rồi thử lại.'
		});
		// The refused one is not in the audit trail: nothing left the server.
		expect((await listAudit(app.db, { action: 'export' })).length).toBe(audited + 1);
		await first.response!.arrayBuffer();
		const third = await open(user);
		expect(third.status).toBe(200);
		await third.response!.body!.cancel();
		const fourth = await open(user);
		expect(fourth.status).toBe(200);
		await fourth.response!.arrayBuffer();
	});

	it('keeps the server to a few downloads at once, so submissions keep their connections', async () => {
		const users = await Promise.all([1, 2, 3].map(() => staffUser(app, 'analyst')));
		const running = [await open(users[0]!), await open(users[1]!)];
		expect(running.map((r) => r.status)).toEqual([200, 200]);
		const refused = await open(users[2]!);
		expect(refused.status).toBe(429);
		expect(refused.message).toMatch(/^Máy chủ đang xuất nhiều tệp cùng lúc/);
		for (const r of running) await r.response!.arrayBuffer();
		const after = await open(users[2]!);
		expect(after.status).toBe(200);
		await after.response!.arrayBuffer();
	});
});

describe('results export', () => {
	it('writes the unit and each child with n, rate, interval, target and verdict', async () => {
		const got = await download(resultsGet, 'survey=test-numbers&unit=AG&period=2026-Q3');
		const [header, ...rows] = csvRows(got.body!);
		expect(header!.slice(0, 3)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Số phiếu']);
		const col = (name: string) => header!.indexOf(name);
		const ag = rows.find((r) => r[0] === 'AG')!;
		const lx = rows.find((r) => r[0] === 'AG.LX')!;
		expect(ag[2]).toBe('3');
		expect(lx[2]).toBe('2');
		const label = numbersSurvey.indicators.find((i) => i.id === 'case')!.label.vi;
		// r1 answered once, 3 on a 3-level scale: one person, one answer, satisfied.
		expect(lx[col(`${label}: số người (n)`)]).toBe('1');
		expect(lx[col(`${label}: số câu trả lời`)]).toBe('1');
		expect(lx[col(`${label}: số hài lòng`)]).toBe('1');
		expect(lx[col(`${label}: cỡ mẫu hiệu dụng`)]).toBe('1.0000');
		expect(lx[col(`${label}: tỷ lệ`)]).toBe('1.0000');
		expect(lx[col(`${label}: mục tiêu`)]).toBe('0.5000');
		expect(lx[col(`${label}: đánh giá`)]).toBe('Chưa kết luận được');
	});
});
