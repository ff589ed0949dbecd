import type { RespondentLocale } from '$lib/i18n/locales';
import type { Question, SurveyDefinition } from '$lib/survey/definition';
import { visibleQuestionIds } from '$lib/survey/visibility';

export type Given = number | string | string[];

/** One citizen at the tablet: the version they began on and what they answered so far. */
export interface Respondent {
	locale: RespondentLocale;
	definition: SurveyDefinition;
	answers: Record<string, Given>;
	/** The question on screen. */
	current: string;
}

export function begin(definition: SurveyDefinition, locale: RespondentLocale): Respondent {
	return { locale, definition, answers: {}, current: shown(definition, {})[0]!.id };
}

/** The questions this respondent sees, in order, given their answers so far. */
export function shown(def: SurveyDefinition, answers: Record<string, Given>): Question[] {
	const visible = visibleQuestionIds(def, answers);
	return def.sections.flatMap((s) => s.questions).filter((q) => visible.has(q.id));
}

export function position(r: Respondent): { n: number; total: number; question: Question } {
	const list = shown(r.definition, r.answers);
	const index = Math.max(
		0,
		list.findIndex((q) => q.id === r.current)
	);
	return { n: index + 1, total: list.length, question: list[index]! };
}

const isBlank = (v: Given | undefined) =>
	v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

export function withAnswer(r: Respondent, id: string, value: Given | undefined): Respondent {
	const answers = { ...r.answers };
	if (value === undefined || isBlank(value)) delete answers[id];
	else answers[id] = value;
	return { ...r, answers };
}

/** The next question, or null when the one on screen is the last. */
export function forward(r: Respondent): Respondent | null {
	const list = shown(r.definition, r.answers);
	const next = list[list.findIndex((q) => q.id === r.current) + 1];
	return next ? { ...r, current: next.id } : null;
}

export function backward(r: Respondent): Respondent | null {
	const list = shown(r.definition, r.answers);
	const previous = list[list.findIndex((q) => q.id === r.current) - 1];
	return previous ? { ...r, current: previous.id } : null;
}

/** What is sent: answers to the questions still shown (a changed answer may hide others). */
export function answersToSend(r: Respondent): Record<string, Given> {
	const visible = visibleQuestionIds(r.definition, r.answers);
	return Object.fromEntries(
		Object.entries(r.answers).filter(([id, v]) => visible.has(id) && !isBlank(v))
	);
}

/** A percent answer as typed: a whole number 0–100, or null when it is not one. */
export function percentValue(typed: string): number | null {
	const trimmed = typed.trim();
	if (!/^\d{1,3}$/.test(trimmed)) return null;
	const n = Number(trimmed);
	return n <= 100 ? n : null;
}
