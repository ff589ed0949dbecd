import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import { parsePeriod, startOfLocalDate } from '$lib/survey/periods';
import type { App } from '../app';
import { sql } from '../db';
import * as responses from '../responses';
import * as results from '.';
import type { GroupBy, ResultsQuery } from './types';
import * as rollups from './rollups';
import * as units from '../units';

// The roll-ups are exact or worthless: every query here is answered twice, through the roll-ups
// and straight from the raw answers, and the two answers must be identical.
let app: App;
let unitCodes: string[];
let seed = 20260907;
/** A small deterministic generator, so a failure can be replayed. */
const rand = () => {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed / 2147483648;
};
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	unitCodes = (await units.list(app.db))
		.map((u) => u.code)
		.filter((c) => c === 'AG' || c.startsWith('AG.LX') || c.startsWith('AG.CD') || c === 'AG.SNV');
});
afterAll(() => app.db.close());

function randomAnswers() {
	const scale = (max: number, na: boolean) =>
		rand() < 0.1 ? undefined : na && rand() < 0.1 ? 'NA' : 1 + Math.floor(rand() * max);
	const answers: Record<string, unknown> = { q1: scale(5, true) ?? 3 };
	const q2 = scale(5, true);
	if (q2 !== undefined) answers.q2 = q2;
	const r1 = scale(3, false);
	if (r1 !== undefined) answers.r1 = r1;
	return answers;
}

/** `count` responses on random days between two dates, in random units and channels: the bulk path. */
async function load(count: number, from: string, to: string) {
	const version = app.surveys.current('test-numbers')!;
	const start = startOfLocalDate(from).getTime();
	const span = startOfLocalDate(to).getTime() - start;
	const rows = Array.from({ length: count }, () => {
		const day = new Date(start + Math.floor(rand() * (span / 86_400_000 + 1)) * 86_400_000);
		const localDate = day.toISOString().slice(0, 10);
		const unitCode = pick(unitCodes);
		const prepared = responses.prepare(version, {
			id: crypto.randomUUID(),
			touchpointId: null,
			unitCode,
			rootUnit: 'AG',
			channel: pick(['paper', 'qr', 'kiosk'] as const),
			locale: 'vi',
			reportedAt: null,
			receivedAt: new Date(),
			where: unitCode,
			paperDate: { effectiveAt: startOfLocalDate(localDate), localDate },
			answers: randomAnswers()
		});
		if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
		return prepared.row;
	});
	await responses.insertMany(app.db, rows);
	return rows.map((r) => r.id);
}

const periods = [
	'2025-03',
	'2025-Q1',
	'2025-Q2',
	'2025-H1',
	'2025',
	{ from: '2025-01-15', to: '2025-04-10' },
	{ from: '2025-02-01', to: '2025-02-28' },
	{ from: '2025-05-31', to: '2025-06-01' },
	{ from: '2025-06-30', to: '2025-06-30' }
];

async function compareRandomQueries(count: number) {
	for (let i = 0; i < count; i++) {
		const period = pick(periods);
		const range = typeof period === 'string' ? parsePeriod(period)! : period;
		const query: ResultsQuery = {
			surveyId: 'test-numbers',
			unitCode: pick(['AG', 'AG', 'AG.LX', 'AG.CD', ...unitCodes]),
			range,
			groupBy: pick<GroupBy | undefined>([undefined, 'unit', 'month', 'quarter']),
			channel: pick([undefined, undefined, 'qr', 'paper', 'kiosk'] as const)
		};
		const rolled = await results.forUnit(app.db, app.surveys, query, { full: true });
		const direct = await results.forUnit(app.db, app.surveys, query, {
			full: true,
			direct: true
		});
		expect(rolled, JSON.stringify(query)).toEqual(direct);
	}
}

async function pendingCount() {
	const [row] = await app.db.query<{ n: number }>(
		sql`select count(*)::int as n from rollup_pending where survey_id = 'test-numbers'`
	);
	return row!.n;
}

describe('monthly roll-ups', () => {
	it('equal the direct computation on random data once refreshed', async () => {
		await load(1500, '2025-01-01', '2025-06-30');
		expect(await pendingCount()).toBeGreaterThan(0);
		await rollups.refreshAll(app.db, app.surveys);
		expect(await pendingCount()).toBe(0);
		await compareRandomQueries(40);
	});

	it('leave the roll-up tables analyzed after a bulk catch-up, so the planner knows their size', async () => {
		await load(300, '2025-07-01', '2025-07-31');
		await rollups.refreshAll(app.db, app.surveys);
		// reltuples stays -1 until a table is first vacuumed or analyzed.
		const rows = await app.db.query<{ relname: string; reltuples: number }>(sql`
			select relname, reltuples::float8 as reltuples from pg_class
			where relname in ('rollup_answers', 'rollup_months') order by relname`);
		expect(rows.map((r) => [r.relname, r.reltuples > 0])).toEqual([
			['rollup_answers', true],
			['rollup_months', true]
		]);
	});

	it('are really read: a tampered roll-up shows in the results until it is recomputed', async () => {
		const query: ResultsQuery = {
			surveyId: 'test-numbers',
			unitCode: 'AG',
			range: { from: '2025-03-01', to: '2025-03-31' }
		};
		const before = await results.forUnit(app.db, app.surveys, query, { full: true });
		await app.db.query(sql`
			update rollup_months set responses = responses + 1000
			where survey_id = 'test-numbers' and month = '2025-03-01'`);
		const tampered = await results.forUnit(app.db, app.surveys, query, { full: true });
		expect(tampered.responses).toBeGreaterThanOrEqual(before.responses + 1000);
		await app.db.query(sql`
			insert into rollup_pending (survey_id, unit_code, month)
			select survey_id, unit_code, month from rollup_months
			where survey_id = 'test-numbers' and month = '2025-03-01'`);
		expect(await results.forUnit(app.db, app.surveys, query, { full: true })).toEqual(before);
		await rollups.refreshAll(app.db, app.surveys);
		expect(await results.forUnit(app.db, app.surveys, query, { full: true })).toEqual(before);
	});

	it('stay exact with late arrivals, imports into past months and changed flags', async () => {
		// An offline kiosk's answers and a paper import land in months already rolled up.
		const late = await load(200, '2025-02-01', '2025-05-31');
		await compareRandomQueries(15);
		await rollups.refreshAll(app.db, app.surveys);
		await compareRandomQueries(10);
		// Flagging some as duplicates afterwards moves them out of every figure.
		await app.db.query(sql`
			update responses set flag = 'duplicate' where id = any(${late.slice(0, 40)}::uuid[])`);
		expect(await pendingCount()).toBeGreaterThan(0);
		await compareRandomQueries(15);
		await rollups.refreshAll(app.db, app.surveys);
		await compareRandomQueries(10);
		// Responses that go away take their counts with them.
		await app.db.query(
			sql`delete from follow_up_cases where response_id = any(${late.slice(40, 60)}::uuid[])`
		);
		await app.db.query(sql`delete from responses where id = any(${late.slice(40, 60)}::uuid[])`);
		await compareRandomQueries(10);
		await rollups.refreshAll(app.db, app.surveys);
		await compareRandomQueries(10);
	});

	it('are rebuilt when a mean indicator changes, and read raw until then', async () => {
		await app.db.query(
			sql`update rollup_signatures set signature = 'old' where survey_id = 'test-numbers'`
		);
		expect(await rollups.usable(app.db, app.surveys, 'test-numbers')).toBe(false);
		await compareRandomQueries(5);
		await rollups.prepare(app.db, app.surveys);
		expect(await rollups.usable(app.db, app.surveys, 'test-numbers')).toBe(true);
		expect(await pendingCount()).toBeGreaterThan(0);
		await rollups.refreshAll(app.db, app.surveys);
		await compareRandomQueries(10);
	});
});

describe('the roll-up of answers', () => {
	it('keeps its count in the primary key, so a quarter is read from the index alone', async () => {
		const [key] = await app.db.query<{ keys: number; columns: number; last: string }>(sql`
			select i.indnkeyatts::int as keys, i.indnatts::int as columns,
				(select a.attname::text from pg_attribute a
					where a.attrelid = i.indrelid and a.attnum = i.indkey[i.indnatts - 1]) as last
			from pg_index i where i.indexrelid = 'rollup_answers_pkey'::regclass`);
		expect(key).toEqual({ keys: 7, columns: 8, last: 'n' });
	});
});
