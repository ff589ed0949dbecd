import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { IndicatorResult } from '$lib/survey/scoring';
import IndicatorTable from './IndicatorTable.svelte';

const overall = {
	id: 'overall',
	kind: 'share_of_respondents',
	n: 400,
	answers: 400,
	satisfied: 360,
	rate: 0.9,
	ciLow: 0.867,
	ciHigh: 0.926,
	effectiveN: 400,
	target: 0.85,
	status: 'met'
} as IndicatorResult;
const readings = {
	overall: { change: { diff: 0.2, low: 0.1452, high: 0.2531, real: true }, more: null }
};

const changeCell = (locale: string) => {
	const { body } = render(IndicatorTable, {
		props: { indicators: [overall], labels: { overall: 'Overall' }, readings, locale }
	});
	return /data-testid="change"[^>]*>([^<]*)</.exec(body)![1]!.replaceAll('&lt;', '<');
};

describe("the dashboard's indicator table", () => {
	it('writes the change and its interval in points, in the reader’s own number format', () => {
		expect(changeCell('vi')).toBe(
			'tăng 20 điểm, thay đổi thật (khoảng tin cậy 95%: +14,5 đến +25,3 điểm)'
		);
		expect(changeCell('en')).toBe(
			'up 20 points, a real change (95% interval: +14.5 to +25.3 points)'
		);
	});
});

describe('an interval beside its target', () => {
	it('never prints a lower bound of 85% beside "chưa kết luận được"', () => {
		const open = { ...overall, rate: 0.88, ciLow: 0.84979, ciHigh: 0.9301, status: 'inconclusive' };
		const { body } = render(IndicatorTable, {
			props: { indicators: [open as IndicatorResult], labels: {}, readings: {}, locale: 'vi' }
		});
		expect(body).toContain('84,98% – 93%');
		expect(body).toContain('Chưa kết luận được');
	});
});
