import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { surveyJsonSchema } from './json-schema';

describe('survey-definitions/schema.json', () => {
	it('is what the zod schema generates (run `npm run schema` after changing it)', () => {
		expect(readFileSync('survey-definitions/schema.json', 'utf8')).toBe(surveyJsonSchema());
	});
});
