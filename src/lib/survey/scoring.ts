import {
	allQuestions,
	isSatisfied,
	isScale,
	scaleMax,
	type Indicator,
	type ScaleQuestion,
	type SurveyDefinition
} from './definition';
import { intervalStatus, wilsonAt, type TargetStatus } from './stats';

/** Value → count for one scale question: '1'…'5' and 'NA'. */
export type Distribution = Record<string, number>;

/**
 * Sums over the respondents r of a scope for one pooled indicator (ARCHITECTURE §5), where m_r is
 * r's valid answers among its questions and s_r the satisfied ones. They add across cells.
 */
export interface PeopleSums {
	/** Respondents with m_r ≥ 1. */
	n: number;
	/** Σ s_r², Σ s_r·m_r, Σ m_r² (share_of_answers only; 0 for mean_of_item_rates). */
	ss: number;
	sm: number;
	mm: number;
}

/**
 * The sums over pairs of items of a mean_of_item_rates indicator with K items, flat: for each pair
 * of positions k < l in its `questions` (k = 0 with l = 1, 2…; then k = 1…), four sums over the
 * respondents: s_k·s_l, s_k·m_l, m_k·s_l and m_k·m_l (each answer 0 or 1). Flat arrays add
 * element by element, which is what pooling thousands of roll-up cells needs.
 */
export type PairSums = number[];

/** Where the four sums of the pair k < l start in the PairSums of an indicator with K items. */
export const pairOffset = (K: number, k: number, l: number) =>
	4 * ((k * (2 * K - k - 1)) / 2 + (l - k - 1));

/** Adds the pair sums `from` into `into`, element by element. */
export function addPairSums(into: PairSums, from: readonly number[]) {
	for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + from[i]!;
}

/** What the database counts for one scope (a unit subtree in a period, or one group of it). */
export interface ScopeCounts {
	responses: number;
	distributions: Map<string, Distribution>;
	/** share_of_answers and mean_of_item_rates indicator id → its sums over respondents */
	people: Map<string, PeopleSums>;
	/** mean_of_item_rates indicator id → the sums over its pairs of items */
	pairs: Map<string, PairSums>;
}

export function emptyCounts(): ScopeCounts {
	return { responses: 0, distributions: new Map(), people: new Map(), pairs: new Map() };
}

export interface IndicatorResult {
	id: string;
	kind: Indicator['kind'];
	/** Respondents with at least one valid answer among the indicator's questions. */
	n: number;
	/** Valid answers (M); equal to n for share_of_respondents. */
	answers: number;
	/** Satisfied answers (S); null for mean_of_item_rates. */
	satisfied: number | null;
	rate: number | null;
	ciLow: number | null;
	ciHigh: number | null;
	/** The size the interval is computed on (N of ARCHITECTURE §5); null without respondents. */
	effectiveN: number | null;
	target: number | null;
	status: TargetStatus | null;
}

export interface QuestionResult {
	id: string;
	type: ScaleQuestion['type'];
	n: number;
	satisfied: number | null;
	rate: number | null;
	distribution: Distribution | null;
}

interface Tally {
	n: number;
	satisfied: number;
}

/** Valid answers (on the scale; N/A and blanks excluded) and the satisfied among them. */
function tally(q: ScaleQuestion, distribution: Distribution | undefined): Tally {
	let n = 0;
	let satisfied = 0;
	for (const [value, count] of Object.entries(distribution ?? {})) {
		if (value === 'NA') continue;
		n += count;
		if (isSatisfied(q.type, Number(value))) satisfied += count;
	}
	return { n, satisfied };
}

const rateOf = ({ n, satisfied }: Tally) => (n > 0 ? satisfied / n : null);

export function scaleQuestions(def: SurveyDefinition): Map<string, ScaleQuestion> {
	return new Map(
		allQuestions(def)
			.filter(isScale)
			.map((q) => [q.id, q])
	);
}

/** The per-question rates and 1–5 distributions of a scope. */
export function questionResults(def: SurveyDefinition, counts: ScopeCounts): QuestionResult[] {
	return [...scaleQuestions(def).values()].map((q) => {
		const distribution = emptyDistribution(q);
		for (const [value, count] of Object.entries(counts.distributions.get(q.id) ?? {})) {
			distribution[value] = (distribution[value] ?? 0) + count;
		}
		const t = tally(q, distribution);
		return {
			id: q.id,
			type: q.type,
			n: t.n,
			satisfied: t.satisfied,
			rate: rateOf(t),
			distribution
		};
	});
}

function emptyDistribution(q: ScaleQuestion): Distribution {
	const d: Distribution = {};
	for (let v = 1; v <= scaleMax(q.type); v++) d[String(v)] = 0;
	d.NA = 0;
	return d;
}

/** N = min(ceiling, p(1−p)/V) when the variance is informative; otherwise the respondents. */
function effectiveSize(p: number, n: number, variance: number, ceiling: number): number {
	if (p > 0 && p < 1 && n >= 2 && variance > 0) return Math.min(ceiling, (p * (1 - p)) / variance);
	return n;
}

interface Figure {
	n: number;
	answers: number;
	satisfied: number | null;
	rate: number | null;
	effectiveN: number | null;
}

/** One share_of_answers indicator: the ratio S/M with its linearised variance. */
function shareOfAnswers(tallies: Tally[], sums: PeopleSums | undefined): Figure {
	const M = tallies.reduce((a, t) => a + t.n, 0);
	const S = tallies.reduce((a, t) => a + t.satisfied, 0);
	const n = sums?.n ?? 0;
	if (n === 0 || M === 0) return { n: 0, answers: M, satisfied: S, rate: null, effectiveN: null };
	const p = S / M;
	const variance = (sums!.ss - 2 * p * sums!.sm + p * p * sums!.mm) / (M * M);
	return { n, answers: M, satisfied: S, rate: p, effectiveN: effectiveSize(p, n, variance, M) };
}

/** One mean_of_item_rates indicator: the mean of item rates, each respondent's part linearised. */
function meanOfItemRates(tallies: Tally[], n: number, pairs: PairSums | undefined): Figure {
	const items = tallies.map((t, k) => ({ k, ...t })).filter((t) => t.n > 0);
	const M = items.reduce((a, t) => a + t.n, 0);
	if (n === 0 || items.length === 0) {
		return { n: 0, answers: M, satisfied: null, rate: null, effectiveN: null };
	}
	const K = items.length;
	const R = items.map((t) => t.satisfied / t.n);
	const rate = R.reduce((a, b) => a + b, 0) / K;
	// V = Σ_r z_r², z_r = (1/K) Σ_k (s_rk − R_k·m_rk) / M_k, expanded over pairs of items. On the
	// diagonal s² = s·m = s and m² = m, so Σ_r (s_rk − R_k·m_rk)² = S_k(1 − R_k).
	let sum = 0;
	items.forEach((a, i) => {
		sum += (a.satisfied * (1 - R[i]!)) / (a.n * a.n);
		for (let j = i + 1; j < K; j++) {
			const b = items[j]!;
			const at = pairOffset(tallies.length, a.k, b.k);
			const sum4 = (d: number) => pairs?.[at + d] ?? 0;
			const cross = sum4(0) - R[j]! * sum4(1) - R[i]! * sum4(2) + R[i]! * R[j]! * sum4(3);
			sum += (2 * cross) / (a.n * b.n);
		}
	});
	const variance = sum / (K * K);
	return { n, answers: M, satisfied: null, rate, effectiveN: effectiveSize(rate, n, variance, M) };
}

/** Every indicator of the definition for one scope, following ARCHITECTURE §5 to the letter. */
export function indicatorResults(
	def: SurveyDefinition,
	counts: ScopeCounts,
	targetFor: (indicator: Indicator) => number | null = (i) => i.target ?? null
): IndicatorResult[] {
	const questions = scaleQuestions(def);
	const tallyOf = (id: string) => {
		const q = questions.get(id);
		return q ? tally(q, counts.distributions.get(id)) : { n: 0, satisfied: 0 };
	};
	return def.indicators.map((ind) => {
		const target = targetFor(ind);
		let figure: Figure;
		if (ind.kind === 'share_of_respondents') {
			const t = tallyOf(ind.question);
			figure = { ...t, answers: t.n, rate: rateOf(t), effectiveN: t.n > 0 ? t.n : null };
		} else if (ind.kind === 'share_of_answers') {
			figure = shareOfAnswers(ind.questions.map(tallyOf), counts.people.get(ind.id));
		} else {
			figure = meanOfItemRates(
				ind.questions.map(tallyOf),
				counts.people.get(ind.id)?.n ?? 0,
				counts.pairs.get(ind.id)
			);
		}
		const ci =
			figure.rate === null || figure.effectiveN === null
				? null
				: wilsonAt(figure.rate, figure.effectiveN);
		return {
			id: ind.id,
			kind: ind.kind,
			...figure,
			ciLow: ci?.low ?? null,
			ciHigh: ci?.high ?? null,
			target,
			status: target === null ? null : intervalStatus(figure.n, ci, target)
		};
	});
}

/** Adds the counts of several scopes: pooling, never averaging. */
export function poolCounts(parts: ScopeCounts[]): ScopeCounts {
	const total = emptyCounts();
	for (const part of parts) addCounts(total, part);
	return total;
}

/** Adds `part` into `into`. */
export function addCounts(into: ScopeCounts, part: ScopeCounts) {
	into.responses += part.responses;
	for (const [id, d] of part.distributions) {
		const to = into.distributions.get(id) ?? {};
		for (const [v, c] of Object.entries(d)) to[v] = (to[v] ?? 0) + c;
		into.distributions.set(id, to);
	}
	for (const [id, p] of part.people) {
		const to = into.people.get(id) ?? { n: 0, ss: 0, sm: 0, mm: 0 };
		into.people.set(id, { n: to.n + p.n, ss: to.ss + p.ss, sm: to.sm + p.sm, mm: to.mm + p.mm });
	}
	for (const [id, pairs] of part.pairs) {
		const to = into.pairs.get(id);
		if (to) addPairSums(to, pairs);
		else into.pairs.set(id, [...pairs]);
	}
}
