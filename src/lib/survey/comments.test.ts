import { describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { commentOf, foldVietnamese, hasLowRating } from './comments';
import { isLow } from './kinds';
import { surveyDefinition } from './definition';

const def = surveyDefinition.parse(numbersSurvey);

describe('Vietnamese folded for search', () => {
	it('drops tone and vowel marks, đ and case, whether typed NFC or NFD', () => {
		expect(foldVietnamese('Thái độ CÁN BỘ rất tốt')).toBe('thai do can bo rat tot');
		expect(foldVietnamese('Đường xá'.normalize('NFD'))).toBe('duong xa');
		expect(foldVietnamese('Ưu tiên Ơn Ân Ăn')).toBe('uu tien on an an');
		expect(foldVietnamese('Phí 100.000đ')).toBe('phi 100.000d');
	});
});

describe('the comment of a response', () => {
	it('is its text answers, skipping blanks and N/A', () => {
		expect(commentOf(def, { q1: 2, comment: 'Chờ lâu' })).toBe('Chờ lâu');
		expect(commentOf(def, { q1: 2, comment: '   ' })).toBeNull();
		expect(commentOf(def, { q1: 2, comment: 'NA' })).toBeNull();
		expect(commentOf(def, { q1: 2 })).toBeNull();
	});
});

describe('a low rating', () => {
	it('is likert5 1–2 or rating3 1; "Bình thường" and N/A are not low', () => {
		expect([1, 2, 3, 4, 5].map((v) => isLow('likert5', v))).toEqual([
			true,
			true,
			false,
			false,
			false
		]);
		expect([1, 2, 3].map((v) => isLow('rating3', v))).toEqual([true, false, false]);
		expect(hasLowRating(def, { q1: 3, q2: 'NA', r1: 2 })).toBe(false);
		expect(hasLowRating(def, { q1: 5, q2: 2 })).toBe(true);
		expect(hasLowRating(def, { q1: 4, r1: 1 })).toBe(true);
		// A choice answered "1" is not a rating.
		expect(hasLowRating(def, { q1: 4, visits: '1' })).toBe(false);
	});
});
