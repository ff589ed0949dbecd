import {
	allQuestions,
	answerValues,
	isNumeric,
	scaleMax,
	scaleQuestionIds,
	type Question,
	type SurveyDefinition
} from './definition';
import { isShown } from './visibility';
import { textControls } from './text';

/** One answer as stored: a number, an option value, several option values, text, or N/A. */
export type AnswerValue = number | string | string[];
export { visibleQuestionIds } from './visibility';

export type Answers = Record<string, AnswerValue>;
export const NA = 'NA';

export type AnswerErrorCode =
	| 'unknown_question'
	| 'required'
	| 'scale'
	| 'na_not_allowed'
	| 'choice'
	| 'choices'
	| 'duplicate_choice'
	| 'percent'
	| 'text'
	| 'text_too_long'
	| 'text_invalid';

export interface AnswerError {
	question: string;
	code: AnswerErrorCode;
	params?: Record<string, number>;
}

export type AnswersCheck = { ok: true; answers: Answers } | { ok: false; errors: AnswerError[] };

/**
 * Checks a set of answers against a survey version and returns them in canonical form: text in
 * NFC and trimmed, empty answers dropped, answers to questions hidden by showIf dropped (the
 * respondent never saw them). Every problem is reported, not just the first. A partial set (the
 * respondent left) may leave required questions unanswered; what it does answer must be valid.
 */
export function checkAnswers(
	def: SurveyDefinition,
	input: unknown,
	{ partial = false }: { partial?: boolean } = {}
): AnswersCheck {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, errors: [{ question: '', code: 'unknown_question' }] };
	}
	const questions = new Map(allQuestions(def).map((q) => [q.id, q]));
	const errors: AnswerError[] = [];
	const raw = new Map<string, unknown>();
	for (const [key, value] of Object.entries(input)) {
		if (!questions.has(key)) errors.push({ question: key, code: 'unknown_question' });
		else raw.set(key, value);
	}
	const answers: Answers = {};
	for (const q of questions.values()) {
		if (q.showIf && !isShown(q, answers)) continue;
		const value = raw.get(q.id);
		if (isBlank(value)) {
			// A respondent who walked away (a kiosk sending what was answered) skipped the rest.
			if (q.required && !partial) errors.push({ question: q.id, code: 'required' });
			continue;
		}
		const checked = checkOne(q, value);
		if ('code' in checked) errors.push({ question: q.id, ...checked });
		else answers[q.id] = checked.value;
	}
	return errors.length ? { ok: false, errors } : { ok: true, answers };
}

function isBlank(value: unknown) {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

type Checked = { value: AnswerValue } | Omit<AnswerError, 'question'>;

function checkOne(q: Question, value: unknown): Checked {
	if (
		value === NA &&
		q.type !== 'text' &&
		!(q.type === 'choice' && answerValues(q)?.includes(NA))
	) {
		return q.allowNA ? { value: NA } : { code: 'na_not_allowed' };
	}
	switch (q.type) {
		case 'likert5':
		case 'rating3': {
			const max = scaleMax(q.type);
			return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max
				? { value: value as number }
				: { code: 'scale', params: { max } };
		}
		case 'percent':
			return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
				? { value: value as number }
				: { code: 'percent' };
		case 'choice': {
			const options = answerValues(q) ?? [];
			if (!q.multiple) {
				return typeof value === 'string' && options.includes(value)
					? { value }
					: { code: 'choice' };
			}
			if (
				!Array.isArray(value) ||
				!value.every((v) => typeof v === 'string' && options.includes(v))
			) {
				return { code: 'choices' };
			}
			if (new Set(value).size !== value.length) return { code: 'duplicate_choice' };
			// Stored in the definition's order, so equal selections compare equal.
			return { value: options.filter((o) => value.includes(o)) };
		}
		case 'text': {
			if (typeof value !== 'string') return { code: 'text' };
			if (!value.isWellFormed() || textControls.test(value)) return { code: 'text_invalid' };
			const text = value.normalize('NFC').trim();
			if ([...text].length > q.maxLength) {
				return { code: 'text_too_long', params: { max: q.maxLength } };
			}
			return { value: text };
		}
	}
}

/**
 * Turns submitted form fields (all strings; a multiple choice repeats its name) into answers of
 * the right JSON types, so forms go through exactly the same check as the JSON API.
 */
export function answersFromForm(
	def: SurveyDefinition,
	entries: Iterable<[string, string]>
): Record<string, unknown> {
	const questions = new Map(allQuestions(def).map((q) => [q.id, q]));
	const out: Record<string, unknown> = {};
	for (const [name, raw] of entries) {
		const q = questions.get(name);
		if (!q) continue; // a form carries no fields but the questions; anything else is noise
		if (q.type === 'choice' && q.multiple) {
			if (raw !== '') out[name] = [...((out[name] as string[]) ?? []), raw];
		} else if (isNumeric(q) && raw !== NA) {
			out[name] = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
		} else {
			out[name] = raw;
		}
	}
	return out;
}

/** The analytics projection of a response: scale answers by position, 0 for N/A, null if blank. */
export function scoresOf(def: SurveyDefinition, answers: Answers): (number | null)[] {
	return scaleQuestionIds(def).map((id) => {
		const value = answers[id];
		if (value === undefined) return null;
		return value === NA ? 0 : (value as number);
	});
}
