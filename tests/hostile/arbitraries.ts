// What the property tests generate: valid answers to the hostile survey, text made of the
// characters that break naive handling, and the helpers to bend a client's usual request.
import fc from 'fast-check';
import { NA } from '../../src/lib/survey/answers';
import { allQuestions, surveyDefinition, type Question } from '../../src/lib/survey/definition';
import { isShown } from '../../src/lib/survey/visibility';
import { hostileSurvey } from './context';

export const questions = allQuestions(surveyDefinition.parse(hostileSurvey));

export const ENVELOPE = [
	'id',
	'touchpoint',
	'answeredAt',
	'locale',
	'answers',
	'version',
	'partial'
];

/** Whether stored answers keep the survey's rules: known, shown questions and allowed values. */
export function respectsSurvey(answers: Record<string, unknown>) {
	const byId = new Map(questions.map((q) => [q.id, q]));
	return Object.entries(answers).every(([id, v]) => {
		const q = byId.get(id);
		if (!q || !isShown(q, answers)) return false;
		if (v === NA) return q.allowNA || q.type === 'text';
		switch (q.type) {
			case 'likert5':
			case 'rating3':
				return (
					Number.isInteger(v) &&
					(v as number) >= 1 &&
					(v as number) <= (q.type === 'likert5' ? 5 : 3)
				);
			case 'percent':
				return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100;
			case 'choice': {
				const options = q.options.map((o) => o.value);
				return q.multiple
					? Array.isArray(v) && v.length > 0 && v.every((x) => options.includes(x))
					: options.includes(v as string);
			}
			case 'text':
				return typeof v === 'string' && v === v.normalize('NFC').trim() && v.length > 0;
		}
	});
}

// Letters a Vietnamese comment is made of, composed and decomposed, and the characters that
// break naive CSV or HTML handling.
export const textUnit = fc.constantFrom(
	...'aăâeêiouươy AĂÂĐ,;"\'|=+-@<>\n\t'.split(''),
	'à',
	'a\u0300',
	'ệ',
	'e\u0323\u0302',
	'ữ'
);
export const text = fc.string({ unit: textUnit, maxLength: 60 });

/** A valid answer to one question. */
export function validAnswer(q: Question): fc.Arbitrary<unknown> {
	const na = q.allowNA ? [fc.constant(NA)] : [];
	switch (q.type) {
		case 'likert5':
			return fc.oneof(fc.integer({ min: 1, max: 5 }), ...na);
		case 'rating3':
			return fc.oneof(fc.integer({ min: 1, max: 3 }), ...na);
		case 'percent':
			return fc.oneof(fc.integer({ min: 0, max: 100 }), ...na);
		case 'choice': {
			const options = q.options.map((o) => o.value);
			return q.multiple
				? fc.shuffledSubarray(options, { minLength: 1 })
				: fc.constantFrom(...options);
		}
		case 'text':
			return text.filter((t) => t.trim() !== '');
	}
}

/** A valid set of answers: the required question and any of the others. */
export const validAnswers = fc.record(
	Object.fromEntries(questions.map((q) => [q.id, validAnswer(q)])),
	{
		requiredKeys: questions.filter((q) => q.required).map((q) => q.id)
	}
) as fc.Arbitrary<Record<string, unknown>>;

/** What the survey keeps of valid answers: NFC trimmed text, options in order, shown questions. */
export function canonical(answers: Record<string, unknown>) {
	const out: Record<string, unknown> = {};
	for (const q of questions) {
		const v = answers[q.id];
		if (v === undefined || !isShown(q, out)) continue;
		if (q.type === 'text') out[q.id] = (v as string).normalize('NFC').trim();
		else if (q.type === 'choice' && q.multiple)
			out[q.id] = q.options.map((o) => o.value).filter((o) => (v as string[]).includes(o));
		else out[q.id] = v;
	}
	return out;
}

/** JSON text of an object from its keys and the JSON text of each value: `__proto__` included. */
export const objectText = (entries: [string, string][]) =>
	`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
export const jsonText = (v: unknown) => JSON.stringify(v) ?? 'null';
export const entry = (key: string, value: unknown): [string, string] => [key, jsonText(value)];

/** What a client usually sends, and now and then something else. */
export const mostly = <T, U>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
	fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: other });
/** Present half of the time. */
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** Present one time in ten. */
export const rarely = <T>(arb: fc.Arbitrary<T>) => mostly(fc.constant(undefined), arb);
