import { describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { surveyDefinition, type SurveyDefinition } from '$lib/survey/definition';
import { scaleQuestionIds } from '$lib/survey/definition';
import { pairOffset } from '$lib/survey/scoring';
import { addSums } from './count-rows';
import { addPattern, emptyPairs, itemPairs, planSignature, pooledPlan } from './sums';

const def = surveyDefinition.parse(numbersSurvey);
const version = (d: SurveyDefinition, versionId = 7) => ({
	versionId,
	definition: d,
	scaleQuestions: scaleQuestionIds(d)
});

describe('the plan of sums over respondents', () => {
	it('has n, Σs², Σsm, Σm² for a pooled share and n for a mean, in definition order', () => {
		const plan = pooledPlan(def, [version(def)]);
		expect(plan.indicators.map((i) => i.id)).toEqual(['pooled', 'index']);
		expect(plan.slots).toEqual([
			{ indicator: 0, sum: 'n' },
			{ indicator: 0, sum: 'ss' },
			{ indicator: 0, sum: 'sm' },
			{ indicator: 0, sum: 'mm' },
			{ indicator: 1, sum: 'n' }
		]);
		// The mean's pattern: one character per item, from its position and lowest satisfied value.
		expect(plan.means).toEqual([1]);
		expect(plan.patterns).toContain(
			"(case when r.scores[3] >= 2 then '2' when r.scores[3] > 0 then '1' else '0' end)"
		);
		expect(plan.patterns).toMatch(/ end as p1$/);
		expect(plan.perRespondent).toContain('when 7 then (r.scores[1] > 0 is true)::int');
	});

	it('signs every pooled indicator, so changing a share’s questions rebuilds the roll-ups', () => {
		const changed = structuredClone(def);
		const pooled = changed.indicators.find((i) => i.id === 'pooled');
		if (pooled?.kind !== 'share_of_answers') throw new Error('fixture changed');
		pooled.questions = ['q1'];
		const before = planSignature(pooledPlan(def, [version(def)]));
		expect(planSignature(pooledPlan(changed, [version(changed)]))).not.toBe(before);
		// A new version with the same indicators keeps the roll-ups of the old ones.
		expect(planSignature(pooledPlan(def, [version(def), version(def, 8)]))).toBe(before);
	});
});

describe('pair sums from answer patterns', () => {
	it('counts each pair of valid items: both satisfied, one satisfied, both valid', () => {
		// Items 0, 1, 2: satisfied, not satisfied, no valid answer; three such people.
		const sums = emptyPairs(3);
		addPattern(sums, '210', 3);
		addPattern(sums, '22', 0);
		expect(itemPairs(3)).toEqual([
			[0, 1],
			[0, 2],
			[1, 2]
		]);
		expect(sums).toEqual([0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
		addPattern(sums, '222', 1);
		expect(sums).toEqual([1, 4, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1]);
	});

	it('adds a roll-up cell read as array text, element by element', () => {
		const into = [1, 2, 3, 4];
		addSums(into, '{0,10,305,-2}');
		expect(into).toEqual([1, 12, 308, 2]);
		addSums(into, '{}');
		expect(into).toEqual([1, 12, 308, 2]);
		const fresh: number[] = [];
		addSums(fresh, '{7,0,123456789}');
		expect(fresh).toEqual([7, 0, 123456789]);
	});

	it('keeps each pair where the scoring looks for it', () => {
		for (const K of [1, 2, 3, 7, 22]) {
			const offsets = itemPairs(K).map(([k, l]) => pairOffset(K, k, l));
			expect(offsets).toEqual(offsets.map((_, i) => 4 * i));
			expect(emptyPairs(K)).toHaveLength(offsets.length * 4);
		}
	});
});
