// What kind of question a question is, and what its answers mean: free of zod, so the kiosk and
// the respondent page can use it without the schema.
import type { Question } from './definition';

/** The scale questions are the ones satisfaction is computed from. */
export const scaleTypes = ['likert5', 'rating3'] as const;
export type ScaleQuestion = Extract<Question, { type: 'likert5' | 'rating3' }>;

export function isScale(q: Pick<Question, 'type'>): q is ScaleQuestion {
	return q.type === 'likert5' || q.type === 'rating3';
}

/** A question answered with one number: a scale level or a percentage. */
export function isNumeric(q: Pick<Question, 'type'>): boolean {
	return isScale(q) || q.type === 'percent';
}

export function scaleMax(type: ScaleQuestion['type']): number {
	return type === 'likert5' ? 5 : 3;
}

/** likert5 4–5 and rating3 2–3 are "satisfied" (ARCHITECTURE §5). */
export function isSatisfied(type: ScaleQuestion['type'], value: number): boolean {
	return type === 'likert5' ? value >= 4 : value >= 2;
}

/** A low rating, the kind a unit should follow up: likert5 1–2, rating3 1. */
export function isLow(type: ScaleQuestion['type'], value: number): boolean {
	return type === 'likert5' ? value <= 2 : value <= 1;
}

/** The answers a question can take as strings, for showIf; null when open-ended. */
export function answerValues(q: Question): string[] | null {
	switch (q.type) {
		case 'likert5':
			return ['1', '2', '3', '4', '5'];
		case 'rating3':
			return ['1', '2', '3'];
		case 'choice':
			return q.options.map((o) => o.value);
		default:
			return null;
	}
}
