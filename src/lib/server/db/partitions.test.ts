import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import { startOfLocalDate } from '$lib/survey/periods';
import type { App } from '../app';
import * as responses from '../responses';
import * as results from '../results';
import { rollups } from '../results';
import * as partitions from './partitions';
import { sql } from './sql';

// Months are created ahead at start-up and hourly; a month whose rows already wait in the
// default partition (the server was down when it began, or a paper date far ahead) must still be
// created, its rows moved, and nothing counted twice or lost.
let app: App;

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
});
afterAll(() => app.db.close());

/** `perDay` paper responses on each of `days`, in two units; their ids. */
async function load(days: string[], perDay = 3) {
	const version = app.surveys.current('test-numbers')!;
	const rows = days.flatMap((day) =>
		Array.from({ length: perDay }, (_, i) => {
			const unitCode = i % 2 ? 'AG.LX' : 'AG.CD';
			const prepared = responses.prepare(version, {
				id: crypto.randomUUID(),
				touchpointId: null,
				unitCode,
				rootUnit: 'AG',
				channel: 'paper',
				locale: 'vi',
				reportedAt: null,
				receivedAt: new Date(),
				where: unitCode,
				paperDate: { effectiveAt: startOfLocalDate(day), localDate: day },
				answers: { q1: 1 + (i % 5), r1: 1 + (i % 3) }
			});
			if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
			return prepared.row;
		})
	);
	await responses.insertMany(app.db, rows);
	return rows.map((r) => r.id);
}

async function partitionsOf(ids: string[]) {
	const rows = await app.db.query<{ part: string }>(sql`
		select distinct tableoid::regclass::text as part from responses where id = any(${ids}::uuid[])
		order by 1`);
	return rows.map((r) => r.part);
}

describe('monthly partitions of responses', () => {
	it('lists this month and the months ahead, across a year end', () => {
		expect(partitions.monthsFrom('2026-11-28')).toEqual([
			'2026-11-01',
			'2026-12-01',
			'2027-01-01',
			'2027-02-01'
		]);
		expect(partitions.monthsFrom('2027-01-31', 1)).toEqual(['2027-01-01', '2027-02-01']);
	});

	it('creates months ahead once; a second round finds them all', async () => {
		const created = await partitions.createAhead(app.db, '2031-05-10');
		expect(created.map((c) => c.partition)).toEqual([
			'responses_2031_05',
			'responses_2031_06',
			'responses_2031_07',
			'responses_2031_08'
		]);
		expect(await partitions.createAhead(app.db, '2031-05-10')).toEqual([]);
	});

	it('moves rows already in the default partition into the new month', async () => {
		const ids = await load(['2032-03-01', '2032-03-31']);
		const neighbour = await load(['2032-04-01']);
		expect(await partitionsOf([...ids, ...neighbour])).toEqual(['responses_default']);
		await rollups.refreshAll(app.db, app.surveys);

		const created = await partitions.createAhead(app.db, '2032-03-15', 0);

		expect(created).toEqual([{ partition: 'responses_2032_03', status: 'created', moved: 6 }]);
		expect(await partitionsOf(ids)).toEqual(['responses_2032_03']);
		expect(await partitionsOf(neighbour)).toEqual(['responses_default']);
		// Moving rows between partitions is no change to them: no roll-up goes stale.
		const [pending] = await app.db.query<{ n: number }>(
			sql`select count(*)::int as n from rollup_pending`
		);
		expect(pending!.n).toBe(0);
		const hashes = await responses.existingHashes(app.db, ids);
		expect(hashes.size).toBe(6);
	});

	it('leaves a table of the same name alone and still creates the other months', async () => {
		await app.db.exec('create table responses_2033_01 (note text)');
		const created = await partitions.createAhead(app.db, '2032-12-05', 2);
		expect(created.map((c) => c.partition)).toEqual(['responses_2032_12', 'responses_2033_02']);
		expect(await partitions.addMonth(app.db, '2033-01-20')).toMatchObject({ status: 'name_taken' });
	});

	it('gives results equal to a direct count, whether months are in partitions or the default', async () => {
		await partitions.createAhead(app.db, '2034-01-01', 1);
		const inPartitions = await load(['2034-01-05', '2034-02-10', '2034-02-28'], 4);
		const inDefault = await load(['2034-03-01', '2034-03-20'], 4);
		expect(await partitionsOf(inPartitions)).toEqual(['responses_2034_01', 'responses_2034_02']);
		expect(await partitionsOf(inDefault)).toEqual(['responses_default']);
		await rollups.refreshAll(app.db, app.surveys);
		const query = {
			surveyId: 'test-numbers',
			unitCode: 'AG',
			range: { from: '2034-01-01', to: '2034-03-31' },
			groupBy: 'month' as const
		};
		const rolled = await results.forUnit(app.db, app.surveys, query, { full: true });
		const direct = await results.forUnit(app.db, app.surveys, query, { full: true, direct: true });
		expect(rolled).toEqual(direct);
		const [counted] = await app.db.query<{ n: number }>(sql`
			select count(*)::int as n from responses
			where survey_id = 'test-numbers' and local_date between '2034-01-01' and '2034-03-31'
				and flag is null`);
		expect(rolled.responses).toBe(counted!.n);
		expect(counted!.n).toBe(20);
	});
});
