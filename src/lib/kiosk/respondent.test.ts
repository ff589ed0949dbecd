import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '$lib/survey/definition';
import {
	answersToSend,
	backward,
	begin,
	forward,
	percentValue,
	position,
	withAnswer
} from './respondent';

const text = (vi: string) => ({ vi, en: vi });
const def = {
	id: 'kiosk-flow',
	version: 1,
	field: 'one_stop',
	title: text('T'),
	intro: text('I'),
	basis: 'b',
	channels: ['kiosk'],
	indicators: [],
	sections: [
		{
			id: 's',
			title: text('S'),
			questions: [
				{ id: 'overall', type: 'rating3', text: text('Q1'), required: true, allowNA: false },
				{
					id: 'why',
					type: 'text',
					text: text('Q2'),
					required: false,
					allowNA: false,
					maxLength: 100,
					showIf: { question: 'overall', in: ['1'] }
				},
				{ id: 'staff', type: 'likert5', text: text('Q3'), required: false, allowNA: true }
			]
		}
	]
} as SurveyDefinition;

describe('a kiosk respondent', () => {
	it('walks the shown questions, and a follow-up appears only for the answer that asks for it', () => {
		let r = begin(def, 'vi');
		expect(position(r)).toMatchObject({ n: 1, total: 2 });
		r = withAnswer(r, 'overall', 3);
		r = forward(r)!;
		expect(r.current).toBe('staff');
		expect(position(r)).toMatchObject({ n: 2, total: 2 });
		expect(forward(r)).toBeNull();
		r = backward(r)!;
		r = withAnswer(r, 'overall', 1);
		expect(position(r).total).toBe(3);
		r = forward(r)!;
		expect(r.current).toBe('why');
		expect(backward(backward(r)!)).toBeNull();
	});

	it('sends only answers to questions still shown, and nothing blank', () => {
		let r = begin(def, 'en');
		r = withAnswer(r, 'overall', 1);
		r = withAnswer(r, 'why', 'Chờ lâu');
		r = withAnswer(r, 'staff', 'NA');
		expect(answersToSend(r)).toEqual({ overall: 1, why: 'Chờ lâu', staff: 'NA' });
		r = withAnswer(r, 'overall', 2);
		expect(answersToSend(r)).toEqual({ overall: 2, staff: 'NA' });
		r = withAnswer(r, 'staff', '');
		expect(answersToSend(r)).toEqual({ overall: 2 });
	});

	it('reads a percent as a whole number from 0 to 100', () => {
		expect(['0', ' 85 ', '100'].map(percentValue)).toEqual([0, 85, 100]);
		expect(['', '101', '-1', '8.5', 'abc', '1e2'].map(percentValue)).toEqual(Array(6).fill(null));
	});
});
