import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { run } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { latestReleased } from '$lib/server/results';
import { monthStart } from '$lib/survey/periods';
import { GET as csvGet } from './ket-qua.csv/+server';
import { render } from 'svelte/server';
import { load } from './+page.server';
import Page from './+page.svelte';

let app: App;
const month = latestReleased(new Date());

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	// AG.LX: 12 answers, 11 satisfied; AG.CD: 3 answers, under the publication threshold.
	const lx = await touchpointAt(app, 'test-numbers', 'AG.LX.MB');
	const cd = await touchpointAt(app, 'test-numbers', 'AG.CD');
	for (let i = 0; i < 12; i++)
		await answer(app, lx, `${month}-15T10:00:00+07:00`, { q1: i < 11 ? 5 : 1 });
	for (let i = 0; i < 3; i++) await answer(app, cd, `${month}-15T10:00:00+07:00`, { q1: 5 });
	// The month before: 20 people at AG.LX, half of them satisfied.
	for (let i = 0; i < 20; i++)
		await answer(app, lx, `${monthStart(`${month}-01`, -1).slice(0, 7)}-10T10:00:00+07:00`, {
			q1: i < 10 ? 4 : 2
		});
});
afterAll(() => app.db.close());

async function page(query: string) {
	return run(load, { user: null, path: `/cong-khai?${query}` });
}

describe('the public monthly page', () => {
	it('shows the latest released month by unit, small cells suppressed, for anyone', async () => {
		const out = await page('survey=test-numbers');
		if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
		expect(out.data.month).toBe(month);
		const units = out.data.units as {
			code: string;
			responses: number;
			indicators: { id: string; n: number; rate: number | null; status: string }[];
		}[];
		const lx = units.find((u) => u.code === 'AG.LX')!;
		const cd = units.find((u) => u.code === 'AG.CD')!;
		expect(lx.indicators.find((i) => i.id === 'overall')).toMatchObject({
			n: 12,
			rate: 11 / 12,
			status: 'inconclusive'
		});
		expect(cd.responses).toBe(3);
		expect(cd.indicators.find((i) => i.id === 'overall')).toMatchObject({
			n: 3,
			rate: null,
			status: 'suppressed'
		});
	});

	it('shows a rate without a target as a rate, with no verdict and no "no data"', async () => {
		const out = await page('survey=test-numbers');
		if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
		type Card = { code: string; indicators: Record<string, unknown>[] };
		const lx = (out.data.units as Card[]).find((u) => u.code === 'AG.LX')!;
		const only = { ...lx, indicators: [{ ...lx.indicators[0]!, target: null, status: null }] };
		const data = { ...out.data, units: [only] };
		const body = render(Page, { props: { data: data as never } }).body;
		const card = body.slice(body.indexOf('data-unit="AG.LX"'));
		expect(card).toContain('91,7%');
		expect(card).not.toContain('Chưa có dữ liệu');
		expect(card).not.toContain('hl-verdict');
	});

	it('leads with the targets province-wide: rate, interval, verdict and the change since last month', async () => {
		const out = await page('survey=test-numbers');
		if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
		type Target = {
			id: string;
			n: number;
			rate: number;
			ciLow: number;
			ciHigh: number;
			status: string;
			change: { diff: number; low: number; high: number; real: boolean };
		};
		const targets = out.data.targets as Target[];
		// Every indicator with a target, in the definition's order.
		expect(targets.map((i) => i.id)).toEqual(['overall', 'pooled', 'index', 'case']);
		const overall = targets[0]!;
		// 14 of 15 people satisfied: Wilson [70.18%, 98.81%], below-or-across 85%: inconclusive.
		expect(overall).toMatchObject({ n: 15, rate: 14 / 15, status: 'inconclusive' });
		expect(overall.ciLow).toBeCloseTo(0.70183, 4);
		expect(overall.ciHigh).toBeCloseTo(0.98813, 4);
		// Last month 10 of 20 ([29.93%, 70.07%]); Newcombe: +43.33 points, [+12.69, +64.14].
		expect(overall.change.diff).toBeCloseTo(0.43333, 4);
		expect(overall.change.low).toBeCloseTo(0.12695, 4);
		expect(overall.change.high).toBeCloseTo(0.64138, 4);
		expect(overall.change.real).toBe(true);
		const body = render(Page, { props: { data: out.data as never } }).body;
		const top = body.slice(body.indexOf('id="targets-title"'), body.indexOf('id="units-title"'));
		expect(top).toContain('93,3%');
		expect(top).toContain('Chưa đủ phiếu để kết luận');
		expect(top).toContain('So với tháng trước: tăng 43,3 điểm, thay đổi thật');
		expect(top).toContain('15 người trả lời');
	});

	it('refuses a month not yet released, and an unknown survey, with 404', async () => {
		const [y, m] = month.split('-').map(Number) as [number, number];
		const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
		expect(await page(`month=${next}`)).toMatchObject({ kind: 'error', status: 404 });
		expect(await page('month=2026-13')).toMatchObject({ kind: 'error', status: 404 });
		expect(await page('survey=nope')).toMatchObject({ kind: 'error', status: 404 });
	});

	it('offers the same figures as CSV, suppressed the same way', async () => {
		const out = await run(csvGet, {
			user: null,
			path: `/cong-khai/ket-qua.csv?survey=test-numbers&month=${month}`
		});
		const response = out.kind === 'ok' ? (out.data.response as Response) : null;
		expect(response?.headers.get('cache-control')).toBe('public, max-age=600');
		const [header, ...rows] = parse(await response!.text(), { bom: true }) as string[][];
		const rate = header!.indexOf('Chung: tỷ lệ');
		const status = header!.indexOf('Chung: đánh giá');
		expect(rows.find((r) => r[0] === 'AG.LX')![rate]).toBe((11 / 12).toFixed(4));
		const cd = rows.find((r) => r[0] === 'AG.CD')!;
		expect([cd[rate], cd[status]]).toEqual(['', 'Không công bố (dưới 10 người)']);
	});
});
