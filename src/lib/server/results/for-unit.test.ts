import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import { parsePeriod } from '$lib/survey/periods';
import type { App } from '../app';
import * as results from '.';

let app: App;
const Q3 = parsePeriod('2018-Q3')!;
const query = (unitCode: string, extra: Partial<results.ResultsQuery> = {}) =>
	results.forUnit(
		app.db,
		app.surveys,
		{ surveyId: 'test-numbers', unitCode, range: Q3, ...extra },
		{ full: true }
	);
const indicator = (r: results.Results, id: string) => r.indicators.find((i) => i.id === id)!;

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	const ward = await touchpointAt(app, 'test-numbers', 'AG.LX.BD'); // a ward of Long Xuyên
	const city = await touchpointAt(app, 'test-numbers', 'AG.LX'); // Long Xuyên itself
	const chauDoc = await touchpointAt(app, 'test-numbers', 'AG.CD.NS');
	await answer(app, ward, '2018-07-02T02:00:00Z', { q1: 5, r1: 3 });
	await answer(app, ward, '2018-07-03T02:00:00Z', { q1: 4, q2: 2 });
	await answer(app, ward, '2018-07-04T02:00:00Z', { q1: 2, q2: 'NA' });
	await answer(app, ward, '2018-06-30T17:30:00Z', { q1: 5 }); // 00:30 on 1 July in Viet Nam: Q3
	await answer(app, ward, '2018-06-30T16:59:00Z', { q1: 1 }); // 23:59 on 30 June: Q2
	await answer(app, city, '2018-07-20T02:00:00Z', { q1: 'NA' });
	await answer(app, chauDoc, '2018-08-10T02:00:00Z', { q1: 1, r1: 1 });
	await answer(app, chauDoc, '2018-08-11T02:00:00Z', { q1: 5 });
	await answer(app, chauDoc, '2018-10-01T02:00:00Z', { q1: 5 }); // Q4
});

afterAll(() => app.db.close());

describe('results for a unit and period (hand-computed)', () => {
	it('pools the whole province: 7 responses in Q3, 6 valid q1 answers, 4 satisfied', async () => {
		const r = await query('AG');
		expect(r).toMatchObject({
			from: '2018-07-01',
			to: '2018-09-30',
			timezone: 'Asia/Ho_Chi_Minh',
			responses: 7
		});
		const overall = indicator(r, 'overall');
		expect([overall.n, overall.satisfied]).toEqual([6, 4]);
		expect(overall.rate).toBeCloseTo(4 / 6, 12);
		expect(overall.ciLow).toBeCloseTo(0.299993, 6);
		expect(overall.ciHigh).toBeCloseTo(0.903229, 6);
		expect(overall.status).toBe('inconclusive');
		expect(overall.target).toBe(0.85);
	});

	it('pools a subtree: Long Xuyên holds its ward and its own counter', async () => {
		const r = await query('AG.LX');
		expect(r.responses).toBe(5);
		expect(indicator(r, 'overall')).toMatchObject({ n: 4, satisfied: 3, rate: 0.75 });
		const ward = await query('AG.LX.BD');
		expect(ward.responses).toBe(4);
	});

	it('computes every indicator kind and the per-question distribution', async () => {
		const r = await query('AG');
		// q1 + q2 valid answers: 6 + 1 (the NA is excluded) = 7, satisfied 4 + 0, from 6 people
		// (the NA-only one counts nowhere); N = min(M, p(1 − p)/V) = 7 (by hand, in Python)
		const pooled = indicator(r, 'pooled');
		expect(pooled).toMatchObject({ n: 6, answers: 7, satisfied: 4 });
		expect(pooled.effectiveN).toBeCloseTo(7, 9);
		expect(pooled.ciLow).toBeCloseTo(0.2504584, 6);
		// r1: a 3 (satisfied) and a 1 → 1 of 2
		expect(indicator(r, 'case')).toMatchObject({ n: 2, satisfied: 1, rate: 0.5 });
		// index over q1, q2, r1: mean(4/6, 0/1, 1/2); n = responses with a valid answer: all but the NA-only one
		const index = indicator(r, 'index');
		expect(index.rate).toBeCloseTo((4 / 6 + 0 + 0.5) / 3, 12);
		// and its interval on N = 8.71698 (by hand, in Python): wholly below its 80% target
		expect([index.n, index.answers, index.status]).toEqual([6, 9, 'not_met']);
		expect(index.effectiveN).toBeCloseTo(8.7169811, 6);
		expect(index.ciLow).toBeCloseTo(0.151122, 6);
		expect(index.ciHigh).toBeCloseTo(0.6946306, 6);
		const q2 = r.questions.find((q) => q.id === 'q2')!;
		expect(q2.distribution).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 0, NA: 1 });
	});

	it('says no_data for an empty period, with null rates', async () => {
		const r = await query('AG', { range: parsePeriod('2019-Q1')! });
		expect(r.responses).toBe(0);
		for (const i of r.indicators) expect([i.n, i.rate, i.status]).toEqual([0, null, 'no_data']);
	});

	it('groups by direct child unit, zero-filled, each pooled over its own subtree', async () => {
		const r = await query('AG', { groupBy: 'unit' });
		const lx = r.groups!.find((g) => g.key === 'AG.LX')!;
		const cd = r.groups!.find((g) => g.key === 'AG.CD')!;
		const snv = r.groups!.find((g) => g.key === 'AG.SNV')!;
		expect([lx.responses, cd.responses, snv.responses]).toEqual([5, 2, 0]);
		expect(cd.indicators.find((i) => i.id === 'overall')).toMatchObject({ n: 2, satisfied: 1 });
		expect(snv.indicators.find((i) => i.id === 'overall')!.status).toBe('no_data');
	});

	it('groups by month and by quarter in Viet Nam time', async () => {
		const months = await query('AG', { groupBy: 'month' });
		expect(months.groups!.map((g) => [g.key, g.responses])).toEqual([
			['2018-07', 5],
			['2018-08', 2],
			['2018-09', 0]
		]);
		const quarters = await query('AG', { groupBy: 'quarter', range: parsePeriod('2018')! });
		expect(quarters.groups!.map((g) => [g.key, g.responses])).toEqual([
			['2018-Q1', 0],
			['2018-Q2', 1],
			['2018-Q3', 7],
			['2018-Q4', 1]
		]);
	});

	it('hides cells under 10 answers from the public but keeps responses and n', async () => {
		const r = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG', range: Q3, groupBy: 'unit' },
			{ full: false }
		);
		expect(r.responses).toBe(7);
		expect(indicator(r, 'overall')).toMatchObject({
			n: 6,
			satisfied: null,
			rate: null,
			ciLow: null,
			ciHigh: null,
			status: 'suppressed'
		});
		expect(r.questions.find((q) => q.id === 'q1')).toMatchObject({
			n: 6,
			rate: null,
			distribution: null
		});
		expect(r.groups!.find((g) => g.key === 'AG.LX')!.indicators[0]!.status).toBe('suppressed');
	});
});

describe('results at and above the public threshold', () => {
	it('shows a cell of exactly 10 answers', async () => {
		const tp = await touchpointAt(app, 'test-numbers', 'AG.TT');
		for (let i = 0; i < 10; i++)
			await answer(app, tp, `2018-09-0${(i % 9) + 1}T02:00:00Z`, { q1: i < 9 ? 5 : 3 });
		const r = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG.TT', range: Q3 },
			{ full: false }
		);
		expect(indicator(r, 'overall')).toMatchObject({
			n: 10,
			satisfied: 9,
			rate: 0.9,
			status: 'inconclusive'
		});
		expect(indicator(r, 'overall').ciLow).toBeCloseTo(0.59585, 5);
	});
});

describe('figures about people, through the database', () => {
	// 100 people each rate q1 and q2 alike, 88 satisfied (the worked example of ARCHITECTURE §5):
	// 200 answers, but the interval of 100 people, [80.19%, 93.00%]: inconclusive against 85%.
	const range = parsePeriod('2019-Q2')!;
	const read = (full: boolean, direct = false) =>
		results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG.CD', range },
			{ full, direct }
		);

	beforeAll(async () => {
		const tp = await touchpointAt(app, 'test-numbers', 'AG.CD.NS');
		for (let i = 0; i < 100; i++) {
			// Across a month edge in Viet Nam time: 30 April 23:00 and 1 May 01:00 (UTC+7).
			const at = i % 2 ? '2019-04-30T16:00:00Z' : '2019-04-30T18:00:00Z';
			await answer(app, tp, at, i < 88 ? { q1: 5, q2: 4 } : { q1: 2, q2: 1 });
		}
		// Someone who answered nothing countable, and a lone respondent in Q3 with two answers.
		await answer(app, tp, '2019-05-02T02:00:00Z', { q1: 'NA', q2: 'NA' });
		await answer(app, tp, '2019-07-02T02:00:00Z', { q1: 5, q2: 5 });
	});

	it('counts 100 people, not 200 answers, and cannot conclude', async () => {
		const pooled = indicator(await read(true), 'pooled');
		expect(pooled).toMatchObject({ n: 100, answers: 200, satisfied: 176, status: 'inconclusive' });
		expect(pooled.rate).toBeCloseTo(0.88, 12);
		expect(pooled.effectiveN).toBeCloseTo(100, 4);
		expect(pooled.ciLow).toBeCloseTo(0.8019, 4);
		expect(pooled.ciHigh).toBeCloseTo(0.93, 4);
	});

	it('reads the same from the monthly roll-ups as from the raw answers', async () => {
		await results.rollups.refreshAll(app.db, app.surveys);
		expect(await read(true)).toEqual(await read(true, true));
	});

	it('never shows the public a figure about fewer than 10 people, however many answers', async () => {
		const lone = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG.CD', range: parsePeriod('2019-07')! },
			{ full: false }
		);
		for (const i of lone.indicators)
			expect(i).toMatchObject({ rate: null, ciLow: null, effectiveN: null, status: 'suppressed' });
		expect(indicator(lone, 'pooled')).toMatchObject({ n: 1, answers: 2 });
		const many = indicator(await read(false), 'pooled');
		expect(many).toMatchObject({ n: 100, status: 'inconclusive' });
	});
});
