import { describe, expect, it } from 'vitest';
import en from './en.json';
import vi from './vi.json';
import { translator } from './index';

function keys(tree: object, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([k, v]) =>
		typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]
	);
}

describe('translations', () => {
	it('has every Vietnamese text in English too, and nothing more', () => {
		expect(keys(en).sort()).toEqual(keys(vi).sort());
	});

	it('fills parameters and keeps Vietnamese the default', () => {
		expect(translator('vi')('errors.scale', { max: 5 })).toBe('Chọn một mức từ 1 đến 5.');
		expect(translator('en')('errors.scale', { max: 3 })).toBe('Choose a level from 1 to 3.');
	});
});
