import type { Question, SurveyDefinition } from './definition';

// Free of zod on purpose: the kiosk bundle imports this and must stay small.

/** Whether a question with showIf is shown, given the answer to its controlling question. */
export function isShown(q: Question, answers: Record<string, unknown>): boolean {
	if (!q.showIf) return true;
	const given = answers[q.showIf.question];
	if (given === undefined || given === null) return false;
	const values = Array.isArray(given) ? given.map(String) : [String(given)];
	return values.some((v) => q.showIf!.in.includes(v));
}

/**
 * The questions a respondent sees given the answers so far: those without showIf, and those
 * whose controlling question is itself shown and answered with one of the listed values.
 */
export function visibleQuestionIds(
	def: SurveyDefinition,
	answers: Record<string, unknown>
): Set<string> {
	const visible = new Set<string>();
	for (const q of def.sections.flatMap((s) => s.questions)) {
		if (!q.showIf || (visible.has(q.showIf.question) && isShown(q, answers))) visible.add(q.id);
	}
	return visible;
}
