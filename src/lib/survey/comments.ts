import type { Answers } from './answers';
import { allQuestions, type SurveyDefinition } from './definition';
import { isLow, isScale } from './kinds';

/**
 * Vietnamese folded for search: no tone or vowel marks, đ as d, lower case. "Thái độ" and
 * "thai do" fold alike, whichever way the text was typed (NFC or NFD). The database's
 * `vn_fold()` (migration 0007) does the same to stored comments, which are NFC.
 */
export function foldVietnamese(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** The text answers of a response, in question order, joined by blank lines; null when none. */
export function commentOf(def: SurveyDefinition, answers: Answers): string | null {
	const texts = allQuestions(def)
		.filter((q) => q.type === 'text')
		.map((q) => answers[q.id])
		.filter((v): v is string => typeof v === 'string' && v !== 'NA' && v.trim() !== '');
	return texts.length ? texts.join('\n\n') : null;
}

/** Whether any scale answer of the response is low: what the follow-up loop acts on. */
export function hasLowRating(def: SurveyDefinition, answers: Answers): boolean {
	return allQuestions(def)
		.filter(isScale)
		.some((q) => typeof answers[q.id] === 'number' && isLow(q.type, answers[q.id] as number));
}
