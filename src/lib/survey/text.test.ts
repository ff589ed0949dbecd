import { describe, expect, it } from 'vitest';
import * as text from './text';

/* eslint-disable no-control-regex -- the classes each check used before they had names */
const before = {
	textControls: /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/,
	lineControls: /[\u0000-\u001F\u007F]/,
	disguisingInText:
		/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
	disguisingInLine: /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
	lineBreaking: /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/,
	invisible: /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/
};

describe('named character classes', () => {
	it('match exactly the characters each check matched before, over the whole BMP', () => {
		for (const [name, old] of Object.entries(before)) {
			const named = new RegExp(text[name as keyof typeof before].source);
			const differ: number[] = [];
			for (let c = 0; c <= 0xffff; c++) {
				const ch = String.fromCharCode(c);
				if (old.test(ch) !== named.test(ch)) differ.push(c);
			}
			expect(differ, name).toEqual([]);
		}
	});

	it('keep tab and line breaks in a multi-line text and refuse them on one line', () => {
		expect(text.textControls.test('a\tb\nc\r\n')).toBe(false);
		expect(text.lineControls.test('a\tb')).toBe(true);
		expect(text.disguisingInLine.test('Phường \u202eAn')).toBe(true);
	});
});
