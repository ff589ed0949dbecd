import {
	allQuestions,
	isSatisfied,
	isScale,
	scaleMax,
	type Indicator,
	type ScaleQuestion,
	type SurveyDefinition
} from './definition';
import { intervalStatus, pointStatus, wilson, type TargetStatus } from './stats';

/** Value → count for one scale question: '1'…'5' and 'NA'. */
export type Distribution = Record<string, number>;

/** What the database counts for one scope (a unit subtree in a period, or one group of it). */
export interface ScopeCounts {
	responses: number;
	distributions: Map<string, Distribution>;
	/** mean_of_item_rates indicator id → responses with at least one valid answer in its questions */
	respondentsWithAnswer: Map<string, number>;
}

export interface IndicatorResult {
	id: string;
	kind: Indicator['kind'];
	n: number;
	satisfied: number | null;
	rate: number | null;
	ciLow: number | null;
	ciHigh: number | null;
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
		if (ind.kind === 'mean_of_item_rates') {
			const rates = ind.questions.map((id) => rateOf(tallyOf(id))).filter((r) => r !== null);
			const rate = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
			const n = counts.respondentsWithAnswer.get(ind.id) ?? 0;
			return {
				id: ind.id,
				kind: ind.kind,
				n,
				satisfied: null,
				rate,
				ciLow: null,
				ciHigh: null,
				target,
				status: target === null ? null : pointStatus(n, rate, target)
			};
		}
		const ids = ind.kind === 'share_of_respondents' ? [ind.question] : ind.questions;
		const pooled = ids
			.map(tallyOf)
			.reduce((a, b) => ({ n: a.n + b.n, satisfied: a.satisfied + b.satisfied }), {
				n: 0,
				satisfied: 0
			});
		const ci = wilson(pooled.satisfied, pooled.n);
		return {
			id: ind.id,
			kind: ind.kind,
			n: pooled.n,
			satisfied: pooled.satisfied,
			rate: rateOf(pooled),
			ciLow: ci?.low ?? null,
			ciHigh: ci?.high ?? null,
			target,
			status: target === null ? null : intervalStatus(pooled.n, ci, target)
		};
	});
}

/** Adds the counts of several scopes: pooling, never averaging. */
export function poolCounts(parts: ScopeCounts[]): ScopeCounts {
	const total: ScopeCounts = {
		responses: 0,
		distributions: new Map(),
		respondentsWithAnswer: new Map()
	};
	for (const part of parts) {
		total.responses += part.responses;
		for (const [id, d] of part.distributions) {
			const into = total.distributions.get(id) ?? {};
			for (const [v, c] of Object.entries(d)) into[v] = (into[v] ?? 0) + c;
			total.distributions.set(id, into);
		}
		for (const [id, c] of part.respondentsWithAnswer) {
			total.respondentsWithAnswer.set(id, (total.respondentsWithAnswer.get(id) ?? 0) + c);
		}
	}
	return total;
}
