import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { htmlToPdf } from './pdf';
import { reportHtml } from './html';
import * as quarterlyReport from './quarterly';
import * as responses from '../responses';
import * as results from '../results';
import type { Touchpoint } from '../touchpoints';

let app: App;

async function answerAt(tp: Touchpoint, at: string, overall: number) {
	const result = await responses.store(app.db, app.surveys, {
		id: crypto.randomUUID(),
		touchpoint: tp,
		reportedAt: null,
		// Paper-like: the received time is the answer's time, as plausibility would leave it.
		receivedAt: new Date(at),
		locale: 'vi',
		answers: { overall }
	});
	expect(result.status).toBe('stored');
}

beforeAll(async () => {
	app = await startTestApp();
	const lx = await touchpointAt(app, 'sipas-one-stop', 'AG.LX'); // a district
	const snv = await touchpointAt(app, 'sipas-one-stop', 'AG.SNV'); // a department
	// Long Xuyên: 5 of 8 satisfied. Sở Nội vụ: 4 of 4. The province pools 9 of 12.
	for (const v of [5, 5, 4, 4, 4, 3, 2]) await answerAt(lx, '2025-05-10T03:00:00Z', v);
	// 23:30 on 30 June in Viet Nam: still the second quarter.
	await answerAt(lx, '2025-06-30T16:30:00Z', 1);
	// 00:10 on 1 July in Viet Nam: the third quarter, not in this report.
	await answerAt(lx, '2025-06-30T17:10:00Z', 1);
	for (const v of [5, 5, 5, 4]) await answerAt(snv, '2025-04-01T01:00:00Z', v);
});
afterAll(() => app.db.close());

describe('the quarterly report', () => {
	it('has the hand-computed figures, the same as the results API, by kind of unit', async () => {
		const report = (await quarterlyReport.build(app, '2025-Q2', 'AG'))!;
		expect(report.range).toEqual({ from: '2025-04-01', to: '2025-06-30' });
		expect(report.responses).toBe(12);
		expect(report.byChannel).toEqual({ qr: 12 });
		expect(report.surveys.map((s) => s.id)).toEqual(['sipas-one-stop']);
		const survey = report.surveys[0]!;
		const overall = survey.overall.find((i) => i.id === 'overall')!;
		expect([overall.n, overall.satisfied, overall.rate]).toEqual([12, 9, 0.75]);

		const api = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'sipas-one-stop', unitCode: 'AG', range: report.range, groupBy: 'unit' },
			{ full: true }
		);
		expect(survey.overall).toEqual(api.indicators);
		expect(survey.headline).toEqual(['overall', 'civil_servants']);

		const kinds = Object.fromEntries(survey.groups.map((g) => [g.kind, g.rows]));
		const lx = kinds.district!.find((r) => r.code === 'AG.LX')!;
		const snv = kinds.department!.find((r) => r.code === 'AG.SNV')!;
		expect([lx.indicators[0]!.n, lx.indicators[0]!.satisfied, lx.indicators[0]!.rate]).toEqual([
			8, 5, 0.625
		]);
		expect(lx.small).toBe(true);
		expect([snv.indicators[0]!.satisfied, snv.indicators[0]!.rate]).toEqual([4, 1]);
		expect(lx.indicators).toEqual(
			['overall', 'civil_servants'].map((id) =>
				api.groups!.find((g) => g.key === 'AG.LX')!.indicators.find((i) => i.id === id)
			)
		);
		// Units without answers are named, not tabled as rows of dashes.
		expect(kinds.district!.map((r) => r.code)).toEqual(['AG.LX']);
		const silent = survey.groups.find((g) => g.kind === 'district')!.silent;
		expect(silent).toContain('Thành phố Châu Đốc');
		expect(silent).not.toContain('Thành phố Long Xuyên');
		// 5 of 8: Wilson 95% is about 30.6%–86.3%, which straddles 85%.
		expect(lx.indicators[0]!.status).toBe('inconclusive');
		expect(survey.attention.map((a) => [a.code, a.indicator])).toContainEqual(['AG.LX', 'overall']);
	});

	it('has nothing to say of an empty quarter, and refuses a malformed one', async () => {
		const empty = (await quarterlyReport.build(app, '2024-Q1', 'AG'))!;
		expect(empty.responses).toBe(0);
		expect(empty.surveys).toEqual([]);
		expect(await quarterlyReport.build(app, '2025-Q5', 'AG')).toBeNull();
		expect(await quarterlyReport.build(app, '2025-q2', 'AG')).toBeNull();
	});

	it('prints to an A4 PDF through Chromium with the same figures', async () => {
		const report = (await quarterlyReport.build(app, '2025-Q2', 'AG'))!;
		const pdf = await htmlToPdf(
			reportHtml({
				report,
				locale: 'vi',
				today: '2025-07-05'
			})
		);
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
		const first = await doc.getPage(1);
		const [width, height] = [first.view[2]!, first.view[3]!];
		// A4 is 210 × 297 mm, 595.3 × 841.9 points; Chromium rounds to whole CSS pixels.
		expect(Math.abs(width - 595.3)).toBeLessThan(1);
		expect(Math.abs(height - 841.9)).toBeLessThan(1.5);
		let text = '';
		for (let p = 1; p <= doc.numPages; p++) {
			const content = await (await doc.getPage(p)).getTextContent();
			text += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + '\n';
		}
		// PDF text runs break where they like: compare without spaces.
		const flat = text.replace(/\s+/g, '');
		for (const expected of [
			'BÁO CÁO',
			'quý II năm 2025',
			'Thành phố Long Xuyên (ít phiếu) 8 62,5% 30,6% – 86,3%',
			'Ủy ban nhân dân tỉnh An Giang',
			'12 75% 46,8% – 91,1% 85%',
			'Chưa kết luận được'
		])
			expect(flat).toContain(expected.replace(/\s+/g, ''));
	});
});
