import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { IndicatorResult } from '$lib/survey/scoring';
import IndicatorTable from './IndicatorTable.svelte';

const overall = {
	id: 'overall',
	kind: 'share_of_respondents',
	n: 400,
	satisfied: 360,
	rate: 0.9,
	ciLow: 0.867,
	ciHigh: 0.926,
	target: 0.85,
	status: 'met'
} as IndicatorResult;
const readings = {
	overall: { change: { diff: 0.2, z: 6.1, p: 0.00001, significant: true }, more: null }
};

const changeCell = (locale: string) => {
	const { body } = render(IndicatorTable, {
		props: { indicators: [overall], labels: { overall: 'Overall' }, readings, locale }
	});
	return /data-testid="change"[^>]*>([^<]*)</.exec(body)![1]!.replaceAll('&lt;', '<');
};

describe("the dashboard's indicator table", () => {
	it('writes a tiny p-value in the reader’s own number format', () => {
		expect(changeCell('vi')).toContain('< 0,001');
		expect(changeCell('en')).toContain('< 0.001');
		expect(changeCell('en')).not.toContain('0,001');
	});
});
