import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import km from './km.json';
import vi from './vi.json';
import { translator } from './index';

function keys(tree: object, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([k, v]) =>
		typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]
	);
}

/** A key without its plural ending: English has `n_one` and `n_other` where Vietnamese has `n`. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
	});
}

describe('translations', () => {
	it('has every Vietnamese text in English too, and nothing more', () => {
		expect([...new Set(keys(en).map(base))].sort()).toEqual(
			[...new Set(keys(vi).map(base))].sort()
		);
	});

	it("has the citizen's words in Khmer: the scale, the QR page, the thanks, the kiosk's screens", () => {
		const viKeys = new Set(keys(vi).map(base));
		const kmKeys = keys(km).map(base);
		// Nothing Vietnamese lacks, and every key of the sections a citizen reads.
		expect(kmKeys.filter((k) => !viKeys.has(k))).toEqual([]);
		const whole = ['scale', 'survey', 'thanks'];
		const needed = [...viKeys].filter((k) => whole.includes(k.split('.')[0]!));
		expect(needed.filter((k) => !kmKeys.includes(k))).toEqual([]);
		// The kiosk's citizen screens: what Welcome, QuestionScreen, IdlePrompt and Thanks ask for.
		for (const key of [
			'kiosk.start',
			'kiosk.progress',
			'kiosk.skip',
			'kiosk.nextIn',
			'kiosk.idleTitle'
		])
			expect(kmKeys, key).toContain(key);
		expect(translator('km')('scale.likert5.5')).toBe('ពេញចិត្តខ្លាំង');
		// A staff text has no Khmer: it falls back to Vietnamese, never to a key.
		expect(translator('km')('staffNav.signOut')).toBe(translator('vi')('staffNav.signOut'));
	});

	it('fills parameters and keeps Vietnamese the default', () => {
		expect(translator('vi')('errors.scale', { max: 5 })).toBe('Chọn một mức từ 1 đến 5.');
		expect(translator('en')('errors.scale', { max: 3 })).toBe('Choose a level from 1 to 3.');
		expect(translator(undefined)('errors.scale', { max: 5 })).toBe('Chọn một mức từ 1 đến 5.');
	});

	it('knows every key the code asks for by name, in both languages', () => {
		const known = { vi: new Set(keys(vi).map(base)), en: new Set(keys(en).map(base)) };
		const asked = new Set<string>();
		for (const file of sourceFiles('src')) {
			for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g))
				asked.add(key!);
		}
		expect(asked.size).toBeGreaterThan(10);
		const missing = [...asked].filter((k) => !known.vi.has(k) || !known.en.has(k));
		expect(missing).toEqual([]);
	});
});
