import { describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { surveyDefinition } from './definition';
import { isSatisfied } from './kinds';
import {
	emptyCounts,
	indicatorResults,
	pairOffset,
	poolCounts,
	questionResults,
	scaleQuestions,
	type ScopeCounts
} from './scoring';

const def = surveyDefinition.parse(numbersSurvey);
const scales = scaleQuestions(def);

type Respondent = Record<string, number | 'NA'>;

/**
 * The counts the database keeps, summed here one respondent at a time as the SQL of
 * results/sums.ts does: distributions, per pooled indicator n and Σs², Σsm, Σm², and for the
 * mean indicator the sums over its pairs of items.
 */
function countsOf(people: Respondent[]): ScopeCounts {
	const c = emptyCounts();
	c.responses = people.length;
	for (const r of people) {
		for (const [id, v] of Object.entries(r)) {
			const d = c.distributions.get(id) ?? {};
			d[String(v)] = (d[String(v)] ?? 0) + 1;
			c.distributions.set(id, d);
		}
		for (const ind of def.indicators) {
			if (ind.kind === 'share_of_respondents') continue;
			const valid = ind.questions.map((id) => typeof r[id] === 'number');
			const sat = ind.questions.map((id) => {
				const v = r[id];
				return typeof v === 'number' && isSatisfied(scales.get(id)!.type, v);
			});
			const m = valid.filter(Boolean).length;
			const s = sat.filter(Boolean).length;
			const p = c.people.get(ind.id) ?? { n: 0, ss: 0, sm: 0, mm: 0 };
			if (m > 0) p.n += 1;
			if (ind.kind === 'share_of_answers') {
				p.ss += s * s;
				p.sm += s * m;
				p.mm += m * m;
			}
			c.people.set(ind.id, p);
			if (ind.kind !== 'mean_of_item_rates') continue;
			const K = valid.length;
			const pairs = c.pairs.get(ind.id) ?? new Array<number>(2 * K * (K - 1)).fill(0);
			for (let k = 0; k < K; k++)
				for (let l = k + 1; l < K; l++) {
					const at = pairOffset(K, k, l);
					const both = [
						sat[k]! && sat[l]!,
						sat[k]! && valid[l]!,
						valid[k]! && sat[l]!,
						valid[k]! && valid[l]!
					];
					both.forEach((yes, d) => (pairs[at + d] = pairs[at + d]! + (yes ? 1 : 0)));
				}
			c.pairs.set(ind.id, pairs);
		}
	}
	return c;
}

const byId = (c: ScopeCounts, targets: Record<string, number> = {}) =>
	Object.fromEntries(
		indicatorResults(def, c, (i) => targets[i.id] ?? i.target ?? null).map((i) => [i.id, i])
	);

// Every expected figure below was computed independently, one respondent at a time, from the
// formulas of ARCHITECTURE §5 (Python, z = 1.959963984540054).
describe('indicators about people, with N/A and different numbers of valid items', () => {
	const people: Respondent[] = [
		{ q1: 5, q2: 4, r1: 3 },
		{ q1: 4, q2: 'NA', r1: 2 },
		{ q1: 2, q2: 1, r1: 1 },
		{ q1: 3, r1: 2 },
		{ q1: 'NA', q2: 5 },
		{ q1: 5, q2: 5, r1: 1 },
		{ q1: 1, q2: 'NA', r1: 3 },
		{ q1: 4, q2: 2 }
	];
	const r = byId(countsOf(people));

	it('share_of_respondents: N/A counts nowhere; the interval is plain Wilson on n', () => {
		expect(r.overall).toMatchObject({ n: 7, answers: 7, satisfied: 4, effectiveN: 7 });
		expect(r.overall!.rate).toBeCloseTo(4 / 7, 12);
		expect(r.overall!.ciLow).toBeCloseTo(0.2504584, 6);
		expect(r.overall!.ciHigh).toBeCloseTo(0.8417801, 6);
		expect(r.overall!.status).toBe('not_met');
	});

	it('share_of_answers: 12 answers of 8 people weigh as 9.197 independent ones', () => {
		expect(r.pooled).toMatchObject({ n: 8, answers: 12, satisfied: 7 });
		expect(r.pooled!.rate).toBeCloseTo(7 / 12, 12);
		expect(r.pooled!.effectiveN).toBeCloseTo(9.1970803, 6);
		expect(r.pooled!.ciLow).toBeCloseTo(0.290057, 6);
		expect(r.pooled!.ciHigh).toBeCloseTo(0.8275055, 6);
	});

	it('mean_of_item_rates: each respondent’s part linearised, with an interval and a verdict', () => {
		expect(r.index).toMatchObject({ n: 8, answers: 18, satisfied: null });
		expect(r.index!.rate).toBeCloseTo(0.6126984, 6);
		expect(r.index!.effectiveN).toBeCloseTo(13.1597213, 6);
		expect(r.index!.ciLow).toBeCloseTo(0.3542817, 6);
		expect(r.index!.ciHigh).toBeCloseTo(0.8201862, 6);
		// Its target is 80%: the upper bound reaches it.
		expect(r.index!.status).toBe('inconclusive');
	});

	it('rating3 counts 2 and 3 as satisfied', () => {
		expect(r.case).toMatchObject({ n: 6, answers: 6, satisfied: 4 });
	});

	it('reports each question with its full distribution', () => {
		const q1 = questionResults(def, countsOf(people)).find((q) => q.id === 'q1')!;
		expect(q1).toMatchObject({
			n: 7,
			satisfied: 4,
			distribution: { '1': 1, '2': 1, '3': 1, '4': 2, '5': 2, NA: 1 }
		});
		const r1 = questionResults(def, countsOf(people)).find((q) => q.id === 'r1')!;
		expect(r1.distribution).toEqual({ '1': 2, '2': 2, '3': 2, NA: 0 });
	});
});

describe('people who answer alike are not independent', () => {
	// The worked example of the issue: 100 people each rate two items alike, 88 satisfied.
	const alike = [
		...Array.from({ length: 88 }, () => ({ q1: 5, q2: 4 })),
		...Array.from({ length: 12 }, () => ({ q1: 2, q2: 1 }))
	];

	it('as 100 people: [80.2%, 93.0%], inconclusive against 85%', () => {
		const r = byId(countsOf(alike)).pooled!;
		expect(r).toMatchObject({ n: 100, answers: 200, satisfied: 176, status: 'inconclusive' });
		expect(r.effectiveN).toBeCloseTo(100, 9);
		expect(r.ciLow).toBeCloseTo(0.801879, 6);
		expect(r.ciHigh).toBeCloseTo(0.9300059, 6);
	});

	it('as answers from different people: [85.2%, 90.4%], met', () => {
		// 600 people, one answer each, 528 satisfied: no clustering, N = M.
		const single = Array.from({ length: 600 }, (_, i): Respondent => ({
			[i % 2 ? 'q2' : 'q1']: i < 528 ? 5 : 2
		}));
		const r = byId(countsOf(single)).pooled!;
		expect(r).toMatchObject({ n: 600, answers: 600, satisfied: 528, status: 'met' });
		expect(r.effectiveN).toBeCloseTo(600, 6);
		expect(r.ciLow).toBeCloseTo(0.851551, 6);
		expect(r.ciHigh).toBeCloseTo(0.9036141, 6);
	});

	it('the mean index of people answering alike also weighs as 100', () => {
		const r = byId(countsOf(alike.map((a) => ({ ...a, r1: a.q1 === 5 ? 3 : 1 })))).index!;
		expect(r.rate).toBeCloseTo(0.88, 12);
		expect(r.effectiveN).toBeCloseTo(100, 6);
		expect(r.ciLow).toBeCloseTo(0.801879, 6);
	});
});

describe('edges', () => {
	it('at p = 1 and p = 0 the effective size is the respondents', () => {
		const all = byId(countsOf(Array.from({ length: 5 }, () => ({ q1: 5, q2: 4 })))).pooled!;
		expect([all.rate, all.effectiveN]).toEqual([1, 5]);
		expect(all.ciLow).toBeCloseTo(0.5655175, 6);
		expect(all.ciHigh).toBe(1);
		const none = byId(countsOf(Array.from({ length: 5 }, () => ({ q1: 1, q2: 2 })))).pooled!;
		expect([none.rate, none.effectiveN, none.ciLow]).toEqual([0, 5, 0]);
	});

	it('one respondent is one, however many items they answered', () => {
		const r = byId(countsOf([{ q1: 5, q2: 2 }]));
		expect(r.pooled).toMatchObject({ n: 1, answers: 2, effectiveN: 1 });
		expect(r.pooled!.ciLow).toBeCloseTo(0.0546208, 6);
		expect(r.index).toMatchObject({ n: 1, answers: 2, effectiveN: 1, rate: 0.5 });
	});

	it('an item nobody answered leaves the mean and its interval (K = 2)', () => {
		const r = byId(countsOf([{ q1: 5, q2: 2 }, { q1: 4, q2: 4 }, { q1: 1 }, { q1: 5, q2: 'NA' }]));
		expect(r.index!.rate).toBeCloseTo(0.625, 12);
		expect(r.index).toMatchObject({ n: 4, answers: 6 });
		expect(r.index!.effectiveN).toBeCloseTo(5.4545455, 6);
		expect(r.index!.ciLow).toBeCloseTo(0.2578762, 6);
		expect(r.index!.ciHigh).toBeCloseTo(0.8888144, 6);
	});

	it('without valid answers there is no rate and no data', () => {
		const r = byId(countsOf([{ q1: 'NA' }, { q1: 'NA' }]));
		for (const id of ['overall', 'pooled', 'index'])
			expect(r[id]).toMatchObject({
				n: 0,
				rate: null,
				ciLow: null,
				effectiveN: null,
				status: 'no_data'
			});
	});

	it('judges a target set on the mean index by its interval, not its point value', () => {
		const people = [
			...Array.from({ length: 9 }, () => ({ q1: 5, q2: 5, r1: 3 })),
			{ q1: 1, q2: 1, r1: 1 }
		];
		const r = byId(countsOf(people), { index: 0.85 }).index!;
		expect(r.rate).toBeCloseTo(0.9, 12);
		expect(r.target).toBe(0.85);
		// A point value of 90% "meets" 85%; ten people cannot show it.
		expect(r.status).toBe('inconclusive');
		expect(r.ciLow!).toBeLessThan(0.85);
	});
});

describe('pooling', () => {
	it('sums counts: a small unit at 100% and a large one at 50% pool to 54.5%, not 75%', () => {
		const small = countsOf(Array.from({ length: 2 }, () => ({ q1: 5 })));
		const large = countsOf(Array.from({ length: 20 }, (_, i) => ({ q1: i % 2 ? 5 : 1 })));
		const pooled = byId(poolCounts([small, large])).overall!;
		expect([pooled.n, pooled.satisfied]).toEqual([22, 12]);
		expect(pooled.rate).toBeCloseTo(12 / 22, 12);
	});

	it('pooling the counts of two halves equals counting everyone at once', () => {
		const people: Respondent[] = [
			{ q1: 5, q2: 4, r1: 3 },
			{ q1: 2, q2: 'NA', r1: 2 },
			{ q1: 4, r1: 1 },
			{ q2: 5 },
			{ q1: 1, q2: 2, r1: 3 }
		];
		expect(byId(poolCounts([countsOf(people.slice(0, 2)), countsOf(people.slice(2))]))).toEqual(
			byId(countsOf(people))
		);
	});
});
