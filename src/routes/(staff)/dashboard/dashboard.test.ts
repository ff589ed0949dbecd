import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { run, staffUser } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import type { Statement } from '$lib/server/db';
import { rollups, type LeagueRow } from '$lib/server/results';
import { GET as resultsApi } from '../../api/v1/results/+server';
import { load } from './+page.server';

let app: App;
let analyst: SessionUser;

/** q1 answers for one touchpoint: `satisfied` of them 4 or 5, the rest 2. */
async function answers(unit: string, at: string, satisfied: number, total: number) {
	const tp = await touchpointAt(app, 'test-numbers', unit);
	for (let i = 0; i < total; i++) await answer(app, tp, at, { q1: i < satisfied ? 5 : 2 });
}

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	analyst = await staffUser(app, 'analyst');
	// 2026-Q3 under AG.LX: MB 9/10 satisfied, BD 3/5, MH 40/40; 2026-Q2: MB 4/10.
	await answers('AG.LX.MB', '2026-08-10T10:00:00+07:00', 9, 10);
	await answers('AG.LX.BD', '2026-07-20T10:00:00+07:00', 3, 5);
	await answers('AG.LX.MH', '2026-09-01T10:00:00+07:00', 40, 40);
	await answers('AG.LX.MB', '2026-05-10T10:00:00+07:00', 4, 10);
	await answers('AG.CD', '2026-08-10T10:00:00+07:00', 1, 2);
});
afterAll(() => app.db.close());

async function dashboard(query: string) {
	const out = await run(load, { user: analyst, path: `/dashboard?${query}` });
	if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
	return out.data as Awaited<ReturnType<typeof load>> & Record<string, unknown>;
}

/** How many SQL statements one dashboard load sends, and what it answered. */
async function statementsOf(query: string, user = analyst) {
	const real = app.db.query;
	let statements = 0;
	app.db.query = <T>(statement: Statement) => {
		statements++;
		if (process.env.SHOW_SQL) console.log(statement.text.replace(/\s+/g, ' ').slice(0, 110));
		return real.call(app.db, statement) as Promise<T[]>;
	};
	try {
		const out = await run(load, { user, path: `/dashboard?${query}` });
		if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
		return statements;
	} finally {
		app.db.query = real;
	}
}

async function api(query: string) {
	const out = await run(resultsApi, { user: analyst, path: `/api/v1/results?${query}` });
	if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
	return (out.data.response as Response).json();
}

describe('the dashboard', () => {
	it('shows exactly what the results API answers, for many queries', async () => {
		const units = ['AG', 'AG.LX', 'AG.LX.MB', 'AG.LX.BD', 'AG.CD', 'AG.TC'];
		const periods = ['2026-Q3', '2026-Q2', '2026-08', '2026-H2', '2026', '2025-Q4'];
		for (const unit of units) {
			for (const period of periods) {
				const query = `survey=test-numbers&unit=${unit}&period=${period}`;
				const page = await dashboard(query);
				expect(JSON.parse(JSON.stringify(page.results)), query).toEqual(
					await api(`${query}&groupBy=unit`)
				);
			}
		}
	});

	it('ranks the children on an indicator, worst first, flags small units, and drills down', async () => {
		const page = await dashboard('survey=test-numbers&unit=AG.LX&period=2026-Q3');
		const rows = page.league as LeagueRow[];
		const withData = rows.filter((r) => r.indicator.n > 0);
		expect(withData.map((r) => [r.unit, r.indicator.n, r.indicator.satisfied, r.small])).toEqual([
			['AG.LX.BD', 5, 3, true],
			['AG.LX.MB', 10, 9, true],
			['AG.LX.MH', 40, 40, false]
		]);
		// Units without answers come last.
		expect(rows.slice(withData.length).every((r) => r.indicator.n === 0)).toBe(true);
		const byN = (await dashboard('survey=test-numbers&unit=AG.LX&period=2026-Q3&sort=n'))
			.league as LeagueRow[];
		expect(byN.slice(0, 3).map((r) => r.unit)).toEqual(['AG.LX.MH', 'AG.LX.MB', 'AG.LX.BD']);
		const trail = (await dashboard('survey=test-numbers&unit=AG.LX.MB&period=2026-Q3')).trail as {
			code: string;
		}[];
		expect(trail.map((u) => u.code)).toEqual(['AG', 'AG.LX', 'AG.LX.MB']);
	});

	it('compares with the previous quarter and says when the change is noise', async () => {
		// AG.LX.MB: 9/10 now, 4/10 in Q2: Newcombe's interval from the two Wilson intervals is
		// +0.0816 to +0.7459 (by hand, in Python): a real change.
		const mb = await dashboard('survey=test-numbers&unit=AG.LX.MB&period=2026-Q3');
		type Reading = { change: { diff: number; low: number; high: number; real: boolean } };
		const reading = (mb.readings as Record<string, Reading>).overall!;
		expect(reading.change.diff).toBeCloseTo(0.5, 10);
		expect(reading.change.low).toBeCloseTo(0.0816, 4);
		expect(reading.change.high).toBeCloseTo(0.7459, 4);
		expect(reading.change.real).toBe(true);
		expect(mb.previous).toEqual({ from: '2026-04-01', to: '2026-06-30', responses: 10 });
		// AG.LX.BD had nothing in Q2: no comparison, for any kind.
		const bd = await dashboard('survey=test-numbers&unit=AG.LX.BD&period=2026-Q3');
		const readings = bd.readings as Record<string, { change: unknown; more: unknown }>;
		expect(readings.overall!.change).toBeNull();
		expect(readings.index!.change).toBeNull();
	});

	it('tells how many more respondents would settle an inconclusive verdict', async () => {
		// AG.LX in Q3: 52/55 on q1 = 0.9455, Wilson [0.8512, 0.9813]: met already, nothing to add.
		const lx = await dashboard('survey=test-numbers&unit=AG.LX&period=2026-Q3');
		expect((lx.readings as Record<string, { more: unknown }>).overall!.more).toBeNull();
		// AG.LX.MB: 9/10, Wilson [0.5958, 0.9821] against 85%: inconclusive.
		const mb = await dashboard('survey=test-numbers&unit=AG.LX.MB&period=2026-Q3');
		const more = (mb.readings as Record<string, { more: number }>).overall!.more;
		expect(more).toBeGreaterThan(0);
	});

	it('answers a bad period with a message, not an error page', async () => {
		const page = await dashboard('survey=test-numbers&unit=AG.LX&period=2026-Q9');
		expect(page.problem).toBeTruthy();
		expect(page.results).toBeNull();
	});

	it('breaks the chosen indicator down by channel, hand-counted', async () => {
		// Q3 under AG.LX, all by QR so far: 52 of 55 satisfied on q1. Add 4 kiosk answers, 1 satisfied.
		const kiosk = await touchpointAt(app, 'test-numbers', 'AG.LX.MB', 'kiosk');
		for (const v of [5, 2, 1, 2]) await answer(app, kiosk, '2026-08-11T10:00:00+07:00', { q1: v });
		const page = await dashboard('survey=test-numbers&unit=AG.LX&period=2026-Q3');
		const channelRows = page.channelRows as {
			channel: string;
			responses: number;
			indicator: { satisfied: number | null };
		}[];
		const rows = channelRows.map((r) => [r.channel, r.responses, r.indicator.satisfied]);
		expect(rows).toEqual([
			['kiosk', 4, 1],
			['qr', 55, 52]
		]);
		expect(page.results!.responses).toBe(59);
	});

	it('narrows the surveys by service field and takes a custom span of dates', async () => {
		const health = await dashboard('field=health&survey=test-numbers&unit=AG.LX&period=2026-Q3');
		expect((health.surveys as unknown[]).length).toBeGreaterThan(0);
		const surveys = health.surveys as { id: string }[];
		expect(surveys.every((s) => s.id.startsWith('health'))).toBe(true);
		expect(health.selected.survey).toBe(surveys[0]!.id);
		// 20 July to 10 August: BD's 5 (20 July) and MB's 10 (10 August); not MH (1 September).
		const span = await dashboard(
			'survey=test-numbers&unit=AG.LX&period=&from=2026-07-20&to=2026-08-10'
		);
		expect([span.results!.from, span.results!.to, span.results!.responses]).toEqual([
			'2026-07-20',
			'2026-08-10',
			15
		]);
		expect(JSON.parse(JSON.stringify(span.results))).toEqual(
			await api('survey=test-numbers&unit=AG.LX&from=2026-07-20&to=2026-08-10&groupBy=unit')
		);
	});

	it('asks the database at most 12 times for a unit and a quarter (ARCHITECTURE §7)', async () => {
		await rollups.refreshAll(app.db, app.surveys);
		const query = 'survey=test-numbers&unit=AG.LX&period=2026-Q3';
		const manager = await staffUser(app, 'manager', 'AG.LX');
		const counts = [await statementsOf(query), await statementsOf(query, manager)];
		console.log(`dashboard statements (analyst, manager): ${counts.join(', ')}`);
		expect(Math.max(...counts)).toBeLessThanOrEqual(12);
	});
});
