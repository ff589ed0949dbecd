import { allQuestions, type SurveyDefinition } from '$lib/survey/definition';

export type Random = () => number;
export type Answers = Record<string, number | 'NA'>;

/** A small seeded generator (mulberry32), so every run and both databases get the same data. */
export function seeded(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Shaped like published SIPAS returns: most answers 4–5, a tail down to 1. A minority of
// respondents is unhappy with everything, so answers within one response go together.
export const content = [0.02, 0.04, 0.1, 0.44, 0.4];
export const unhappy = [0.12, 0.2, 0.33, 0.25, 0.1];

/** A level from 1 to weights.length, drawn with those weights. */
export function pick(weights: number[], rand: Random): number {
	let r = rand();
	for (let i = 0; i < weights.length; i++) {
		r -= weights[i]!;
		if (r < 0) return i + 1;
	}
	return weights.length;
}

export function likertQuestions(def: SurveyDefinition) {
	return allQuestions(def).filter((q) => q.type === 'likert5');
}

/**
 * Answers to the given likert5 questions: N/A now and then where the question allows it, and a
 * few left blank unless the question is required.
 */
export function realisticAnswers(
	questions: ReturnType<typeof likertQuestions>,
	rand: Random
): Answers {
	const weights = rand() < 0.08 ? unhappy : content;
	const answers: Answers = {};
	for (const q of questions) {
		if (!q.required && rand() < 0.02) continue;
		answers[q.id] = q.allowNA && rand() < 0.05 ? 'NA' : pick(weights, rand);
	}
	return answers;
}
