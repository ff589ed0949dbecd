import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { facesFor, fontFaces } from './weight';

// The app's own font rules: which files a Vietnamese, an English and a Khmer page make the
// browser fetch, as the first-load budget counts them.
const css = readFileSync('src/lib/components/ui/fonts.css', 'utf8');
const faces = fontFaces(css, 'http://x/app.css');
const files = (text: string) =>
	facesFor(text, faces).map((f) => f.url.replace(/^.*files\/|-normal\.woff2$/g, ''));

describe('the fonts a page loads', () => {
	it('reads every woff2 face with its unicode-range', () => {
		expect(faces).toHaveLength(6);
		expect(faces.every((f) => f.ranges.length > 0)).toBe(true);
	});

	it('loads both Vietnamese subsets for Vietnamese text, the latin ones only for English, Khmer only for Khmer', () => {
		expect(files('Rất hài lòng')).toEqual([
			'be-vietnam-pro-vietnamese-400',
			'be-vietnam-pro-latin-400',
			'be-vietnam-pro-vietnamese-700',
			'be-vietnam-pro-latin-700'
		]);
		expect(files('Very satisfied')).toEqual([
			'be-vietnam-pro-latin-400',
			'be-vietnam-pro-latin-700'
		]);
		expect(files('ពេញចិត្ត')).toEqual(['noto-sans-khmer-khmer-400', 'noto-sans-khmer-khmer-700']);
	});
});
