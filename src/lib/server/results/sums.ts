import { isSatisfied, scaleMax } from '$lib/survey/kinds';
import { scaleQuestions } from '$lib/survey/scoring';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { SurveyVersion } from '../surveys';

/**
 * What one respondent contributes to the pooled indicators (share_of_answers and
 * mean_of_item_rates, ARCHITECTURE §5), written as SQL over a response `r` for every published
 * version of a survey, since a question's position in `r.scores` differs between versions.
 * The SQL holds only integers computed here from the definitions.
 */
export interface PooledPlan {
	/** The pooled indicators of the current definition, in its order. */
	indicators: {
		id: string;
		kind: 'share_of_answers' | 'mean_of_item_rates';
		questions: string[];
	}[];
	/** A select list over r: for indicator i, `m{i}` (valid answers) and, for shares, `s{i}`. */
	perRespondent: string;
	/** Sums over respondents as SQL aggregates of the select list, in the order of `slots`. */
	aggregates: (counted: string) => string[];
	/** What each aggregate is: indicator i's respondents, or one of its sums. */
	slots: { indicator: number; sum: 'n' | 'ss' | 'sm' | 'mm' }[];
	/**
	 * A select list over r: for each mean indicator i, `p{i}`, one character per item of its
	 * questions: '2' satisfied, '1' valid but not satisfied, '0' no valid answer. Responses are
	 * grouped by it and the pairs of items summed in JS (`addPattern`), which is hundreds of
	 * times cheaper than joining each response's items to themselves in SQL (npm run bench).
	 */
	patterns: string;
	/** The indicators (positions in `indicators`) that have a pattern: the means. */
	means: number[];
}

/** The lowest satisfied value of a scale type: 4 on likert5, 2 on rating3. */
function satisfiedFrom(type: 'likert5' | 'rating3'): number {
	for (let v = 1; v <= scaleMax(type); v++) if (isSatisfied(type, v)) return v;
	throw new Error(`no satisfied value on ${type}`);
}

function integer(n: number): number {
	if (!Number.isInteger(n)) throw new Error('non-integer in generated SQL');
	return n;
}

/** For each version, the 1-based positions in `scores` of the questions, with their threshold. */
function positions(version: SurveyVersion, ids: string[]) {
	const types = scaleQuestions(version.definition);
	return ids.flatMap((id, k) => {
		const pos = version.scaleQuestions.indexOf(id) + 1;
		const type = types.get(id)?.type;
		return pos > 0 && type ? [{ k, pos: integer(pos), thr: integer(satisfiedFrom(type)) }] : [];
	});
}

export function pooledPlan(def: SurveyDefinition, versions: SurveyVersion[]): PooledPlan {
	const indicators = def.indicators.flatMap((i) =>
		i.kind === 'share_of_respondents' ? [] : [{ id: i.id, kind: i.kind, questions: i.questions }]
	);
	const byVersion = (term: (p: { pos: number; thr: number }) => string, ids: string[]) => {
		const cases = versions.flatMap((v) => {
			const found = positions(v, ids);
			return found.length
				? [`when ${integer(v.versionId)} then ${found.map(term).join(' + ')}`]
				: [];
		});
		return cases.length ? `case r.survey_version_id ${cases.join(' ')} else 0 end` : '0';
	};
	const valid = ({ pos }: { pos: number }) => `(r.scores[${pos}] > 0 is true)::int`;
	const satisfied = ({ pos, thr }: { pos: number; thr: number }) =>
		`(r.scores[${pos}] >= ${thr} is true)::int`;
	const perRespondent = indicators
		.flatMap((ind, i) => [
			`${byVersion(valid, ind.questions)} as m${i}`,
			...(ind.kind === 'share_of_answers'
				? [`${byVersion(satisfied, ind.questions)} as s${i}`]
				: [])
		])
		.join(', ');
	const slots = indicators.flatMap((ind, i) =>
		ind.kind === 'share_of_answers'
			? (['n', 'ss', 'sm', 'mm'] as const).map((sum) => ({ indicator: i, sum }))
			: [{ indicator: i, sum: 'n' as const }]
	);
	const aggregates = (counted: string) =>
		slots.map(({ indicator: i, sum }) => {
			const of = {
				n: '',
				ss: `x.s${i} * x.s${i}`,
				sm: `x.s${i} * x.m${i}`,
				mm: `x.m${i} * x.m${i}`
			}[sum];
			return sum === 'n'
				? `count(*) filter (where ${counted} and x.m${i} > 0)`
				: `coalesce(sum(${of}) filter (where ${counted}), 0)`;
		});
	const means = indicators.flatMap((ind, i) => (ind.kind === 'mean_of_item_rates' ? [i] : []));
	const patterns = means
		.map((i) => {
			const ids = indicators[i]!.questions;
			const cases = versions.map((v) => {
				const found = new Map(positions(v, ids).map((p) => [p.k, p]));
				const chars = ids.map((_, k) => {
					const p = found.get(k);
					return p
						? `(case when r.scores[${p.pos}] >= ${p.thr} then '2' when r.scores[${p.pos}] > 0 then '1' else '0' end)`
						: `'0'`;
				});
				return `when ${integer(v.versionId)} then ${chars.join(' || ')}`;
			});
			const none = `'${'0'.repeat(ids.length)}'`;
			return `${cases.length ? `case r.survey_version_id ${cases.join(' ')} else ${none} end` : none} as p${i}`;
		})
		.join(', ');
	return { indicators, perRespondent, aggregates, slots, patterns, means };
}

/** The signature the roll-ups are computed for: the pooled indicators and the layout of `sums`. */
export function planSignature(plan: PooledPlan): string {
	return JSON.stringify(['sums-v2', plan.indicators.map((i) => [i.id, i.kind, i.questions])]);
}

/** The pairs of items k < l of an indicator with K items, in the order their sums are kept. */
export function itemPairs(K: number): [number, number][] {
	const out: [number, number][] = [];
	for (let k = 0; k < K; k++) for (let l = k + 1; l < K; l++) out.push([k, l]);
	return out;
}

/**
 * Adds `n` respondents who answered with this pattern to the pair sums `into` (for each pair
 * of items in itemPairs order: satisfied on both, satisfied on k and valid on l, valid on k
 * and satisfied on l, valid on both).
 */
export function addPattern(into: number[], pattern: string, n: number) {
	const K = pattern.length;
	let at = 0;
	for (let k = 0; k < K; k++) {
		const a = pattern.charCodeAt(k) - 48;
		for (let l = k + 1; l < K; l++, at += 4) {
			const b = pattern.charCodeAt(l) - 48;
			if (a === 0 || b === 0) continue;
			if (a === 2 && b === 2) into[at] = into[at]! + n;
			if (a === 2) into[at + 1] = into[at + 1]! + n;
			if (b === 2) into[at + 2] = into[at + 2]! + n;
			into[at + 3] = into[at + 3]! + n;
		}
	}
}

/** Zeroed pair sums for an indicator with K items. */
export const emptyPairs = (K: number) => new Array<number>(2 * K * (K - 1)).fill(0);
