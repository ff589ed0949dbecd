import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { run, staffUser } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import { localDate } from '$lib/survey/periods';
import { GET as resultsApi } from '../../../api/v1/results/+server';
import { load } from './+page.server';

let app: App;
let analyst: SessionUser;
const thisMonth = localDate(new Date()).slice(0, 7);

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	analyst = await staffUser(app, 'analyst');
	const tp = await touchpointAt(app, 'test-numbers', 'AG.LX.MB');
	for (let i = 0; i < 4; i++)
		await answer(app, tp, `${thisMonth}-01T09:00:00+07:00`, { q1: i < 3 ? 5 : 1 });
});
afterAll(() => app.db.close());

describe('the monthly trend', () => {
	it('is the results API grouped by month over the last 12 or 24 months, one indicator', async () => {
		for (const months of [12, 24]) {
			const out = await run(load, {
				user: analyst,
				path: `/dashboard/trends?survey=test-numbers&unit=AG.LX&indicator=overall&months=${months}`
			});
			if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
			const points = (out.data.series as { points: { month: string; n: number; rate: number }[] })
				.points;
			expect(points).toHaveLength(months);
			expect(points.at(-1)).toMatchObject({ month: thisMonth, n: 4, rate: 0.75 });
			const from = `${points[0]!.month}-01`;
			const api = await run(resultsApi, {
				user: analyst,
				path: `/api/v1/results?survey=test-numbers&unit=AG.LX&from=${from}&to=${localDate(new Date()).slice(0, 8)}28&groupBy=month`
			});
			if (api.kind !== 'ok') throw new Error(JSON.stringify(api));
			const body = await (api.data.response as Response).json();
			for (const group of body.groups) {
				const overall = group.indicators.find((i: { id: string }) => i.id === 'overall');
				const point = points.find((p) => p.month === group.key)!;
				expect([point.n, point.rate], group.key).toEqual([overall.n, overall.rate]);
			}
		}
	});
});
