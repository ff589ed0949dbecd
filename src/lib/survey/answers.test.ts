import { describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answersFromForm, checkAnswers, scoresOf } from './answers';
import { surveyDefinition } from './definition';

const def = surveyDefinition.parse(numbersSurvey);
const check = (answers: unknown) => checkAnswers(def, answers);
const codes = (answers: unknown) => {
	const r = check(answers);
	return r.ok ? [] : r.errors.map((e) => `${e.question}:${e.code}`);
};

describe('checking answers against a survey version', () => {
	it('accepts valid answers of every type', () => {
		const r = check({
			q1: 5,
			q2: 'NA',
			r1: 2,
			visits: '2',
			q3: 4,
			comment: ' Tốt ',
			pct: 80,
			channels: ['phone', 'web']
		});
		expect(r).toEqual({
			ok: true,
			answers: {
				q1: 5,
				q2: 'NA',
				r1: 2,
				visits: '2',
				q3: 4,
				comment: 'Tốt',
				pct: 80,
				channels: ['web', 'phone']
			}
		});
	});

	it.each([0, 6, -1, 3.5, '3', Number.NaN, Number('1e309'), null, true, [4]])(
		'refuses %j on a 1–5 scale',
		(value) => {
			// null counts as no answer, which a required question refuses too
			expect(codes({ q1: value })).toEqual([value === null ? 'q1:required' : 'q1:scale']);
		}
	);

	it('refuses 0 and 4 on the 3-level scale', () => {
		expect(codes({ q1: 4, r1: 0 })).toEqual(['r1:scale']);
		expect(codes({ q1: 4, r1: 4 })).toEqual(['r1:scale']);
	});

	it('reports every problem at once, unknown questions included', () => {
		expect(codes({ q9: 1, __proto__x: 1, q2: 7, visits: '9' })).toEqual([
			'q9:unknown_question',
			'__proto__x:unknown_question',
			'q1:required',
			'q2:scale',
			'visits:choice'
		]);
	});

	it('refuses a __proto__ key as an unknown question', () => {
		const body = JSON.parse('{"q1": 4, "__proto__": {"polluted": true}}');
		expect(codes(body)).toEqual(['__proto__:unknown_question']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('refuses N/A where the question does not offer it', () => {
		expect(codes({ q1: 4, r1: 'NA' })).toEqual(['r1:na_not_allowed']);
	});

	it('treats empty answers as no answer', () => {
		expect(codes({ q1: '' })).toEqual(['q1:required']);
		expect(check({ q1: 4, comment: '   ', channels: [] })).toEqual({
			ok: true,
			answers: { q1: 4 }
		});
	});

	it('checks multiple choices: options, duplicates, type', () => {
		expect(codes({ q1: 4, channels: ['web', 'fax'] })).toEqual(['channels:choices']);
		expect(codes({ q1: 4, channels: ['web', 'web'] })).toEqual(['channels:duplicate_choice']);
		expect(codes({ q1: 4, channels: 'web' })).toEqual(['channels:choices']);
	});

	it('stores text in NFC and counts its length after normalisation', () => {
		const nfd = 'Hoa\u0300 ok'; // "Hoà ok" decomposed: 7 code points, 6 after NFC
		const r = check({ q1: 4, comment: nfd });
		expect(r.ok && r.answers.comment).toBe('Hoà ok');
		expect(r.ok && (r.answers.comment as string).length).toBe(6);
		const twenty = 'a\u0300'.repeat(20); // 40 code points, 20 characters once composed
		expect(codes({ q1: 4, comment: twenty })).toEqual([]);
		expect(codes({ q1: 4, comment: 'x'.repeat(21) })).toEqual(['comment:text_too_long']);
	});

	it('refuses NUL, lone surrogates and control characters in text', () => {
		expect(codes({ q1: 4, comment: 'a\u0000b' })).toEqual(['comment:text_invalid']);
		expect(codes({ q1: 4, comment: 'a\uD800b' })).toEqual(['comment:text_invalid']);
		expect(codes({ q1: 4, comment: 'a\u001bb' })).toEqual(['comment:text_invalid']);
	});

	it('keeps script tags and formula-like text as plain data', () => {
		const r = check({ q1: 4, comment: '<script>x</script>' });
		expect(r.ok && r.answers.comment).toBe('<script>x</script>');
	});

	it('drops answers to a question hidden by showIf', () => {
		expect(check({ q1: 4, visits: '1', q3: 2 })).toEqual({
			ok: true,
			answers: { q1: 4, visits: '1' }
		});
		expect(check({ q1: 4, q3: 2 })).toEqual({ ok: true, answers: { q1: 4 } });
	});

	it('refuses answers that are not an object', () => {
		expect(check([1, 2]).ok).toBe(false);
		expect(check('q1=4').ok).toBe(false);
	});
});

describe('form fields and scores', () => {
	it('turns repeated and numeric form fields into typed answers', () => {
		const answers = answersFromForm(def, [
			['q1', '4'],
			['q2', 'NA'],
			['channels', 'web'],
			['channels', 'counter'],
			['pct', '12.5'],
			['other', 'x']
		]);
		expect(answers).toEqual({ q1: 4, q2: 'NA', channels: ['web', 'counter'], pct: '12.5' });
	});

	it('projects scale answers by position: value, 0 for N/A, null for none', () => {
		expect(scoresOf(def, { q1: 5, q2: 'NA', visits: '2', q3: 3 })).toEqual([5, 0, null, 3]);
	});
});
