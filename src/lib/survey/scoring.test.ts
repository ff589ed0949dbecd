import { describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { surveyDefinition } from './definition';
import { indicatorResults, poolCounts, questionResults, type ScopeCounts } from './scoring';

const def = surveyDefinition.parse(numbersSurvey);

function counts(
	distributions: Record<string, Record<string, number>>,
	responses: number,
	withAnswer = 0
): ScopeCounts {
	return {
		responses,
		distributions: new Map(Object.entries(distributions)),
		respondentsWithAnswer: new Map([['index', withAnswer]])
	};
}

const byId = (c: ScopeCounts) => Object.fromEntries(indicatorResults(def, c).map((i) => [i.id, i]));

describe('indicators from counts', () => {
	// q1: 1×1, 1×3, 2×4, 6×5, 3×NA → n = 10 valid, 8 satisfied; q2: 2×2, 2×4 → n = 4, 2 satisfied;
	// r1 (3-level): 1×1, 2×2, 1×3 → n = 4, 3 satisfied.
	const c = counts(
		{
			q1: { '1': 1, '3': 1, '4': 2, '5': 6, NA: 3 },
			q2: { '2': 2, '4': 2 },
			r1: { '1': 1, '2': 2, '3': 1 }
		},
		13,
		12
	);

	it('share_of_respondents excludes N/A from n', () => {
		const r = byId(c).overall!;
		expect([r.n, r.satisfied, r.rate]).toEqual([10, 8, 0.8]);
		expect(r.ciLow).toBeCloseTo(0.49016, 5);
		expect(r.ciHigh).toBeCloseTo(0.94332, 5);
		expect(r.status).toBe('inconclusive');
	});

	it('share_of_answers pools every valid answer of its questions', () => {
		const r = byId(c).pooled!;
		expect([r.n, r.satisfied, r.rate]).toEqual([14, 10, 10 / 14]);
	});

	it('mean_of_item_rates averages item rates, with no interval', () => {
		const r = byId(c).index!;
		expect(r.rate).toBeCloseTo((0.8 + 0.5 + 0.75) / 3, 12);
		expect([r.n, r.satisfied, r.ciLow, r.ciHigh, r.status]).toEqual([
			12,
			null,
			null,
			null,
			'not_met'
		]);
	});

	it('rating3 counts 2 and 3 as satisfied', () => {
		const r = byId(c).case!;
		expect([r.n, r.satisfied, r.rate]).toEqual([4, 3, 0.75]);
	});

	it('skips items without answers in a mean, and says no_data when all are empty', () => {
		const partial = byId(counts({ q1: { '5': 2 } }, 2, 2)).index!;
		expect(partial.rate).toBe(1);
		const none = byId(counts({ q1: { NA: 2 } }, 2, 0));
		expect(none.index!.rate).toBeNull();
		expect(none.index!.status).toBe('no_data');
		expect([none.overall!.n, none.overall!.rate, none.overall!.status]).toEqual([
			0,
			null,
			'no_data'
		]);
	});

	it('reports each question with its full distribution', () => {
		const q1 = questionResults(def, c).find((q) => q.id === 'q1')!;
		expect(q1).toMatchObject({
			n: 10,
			satisfied: 8,
			rate: 0.8,
			distribution: { '1': 1, '2': 0, '3': 1, '4': 2, '5': 6, NA: 3 }
		});
		const r1 = questionResults(def, c).find((q) => q.id === 'r1')!;
		expect(r1.distribution).toEqual({ '1': 1, '2': 2, '3': 1, NA: 0 });
	});
});

describe('pooling', () => {
	it('sums counts: a small unit at 100% and a large one at 50% pool to 54.5%, not 75%', () => {
		const small = counts({ q1: { '5': 2 } }, 2);
		const large = counts({ q1: { '5': 10, '1': 10 } }, 20);
		const pooled = byId(poolCounts([small, large])).overall!;
		expect([pooled.n, pooled.satisfied]).toEqual([22, 12]);
		expect(pooled.rate).toBeCloseTo(12 / 22, 12);
	});
});
