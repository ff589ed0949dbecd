import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberedUuid } from '$tests/helpers/fixtures';
import { openDatabaseBefore } from '$tests/helpers/test-app';
import { localDate } from '$lib/survey/periods';
import type { Database } from './driver';
import { listMigrations, migrate } from './migrate';
import { monthsFrom } from './partitions';
import { json, sql } from './sql';

// Migration 0010 turns a populated responses table into monthly partitions: every row, contact,
// case and pending roll-up mark must come through, each row in its month's partition.
let db: Database;

/** Dates over five months and one paper questionnaire from long ago. */
const dates = ['2025-10-03', '2025-10-31', '2025-11-01', '2025-12-15', '2026-01-31', '2026-02-01'];
const old = '1999-05-10';
const ids = Array.from({ length: 30 }, (_, i) => numberedUuid(i + 1));
const dateOf = (i: number) => (i === 29 ? old : dates[i % dates.length]!);

beforeAll(async () => {
	db = await openDatabaseBefore(10);
	for (const [i, id] of ids.entries()) {
		await db.query(sql`
			insert into responses (id, survey_id, survey_version_id, unit_code, root_unit, channel, locale,
				received_at, effective_at, local_date, answers, scores, content_hash, flag, comment,
				low_rating, serial)
			select ${id}::uuid, 'test-numbers', v.id, 'AG', 'AG', 'paper', 'vi', now(),
				${dateOf(i)}::date::timestamptz, ${dateOf(i)}::date, ${json({ q1: 1 + (i % 5) })},
				${[1 + (i % 5)]}::smallint[], ${`hash-${i}`}, ${i % 7 === 0 ? 'duplicate' : null}::text,
				${i % 3 === 0 ? `góp ý ${i}` : null}::text, ${i % 5 < 2}, ${`S-${i}`}
			from survey_versions v where v.survey_id = 'test-numbers'`);
	}
	for (const id of ids.slice(0, 4)) {
		await db.query(sql`
			insert into response_contacts (response_id, name, phone, purpose, consented_at)
			values (${id}::uuid, 'A', '0912345678', 'follow_up', now())`);
		await db.query(sql`
			insert into follow_up_cases (response_id, survey_id, unit_code)
			values (${id}::uuid, 'test-numbers', 'AG')`);
	}
});
afterAll(() => db.close());

const dumpResponses = () =>
	db.query<{ row: unknown }>(sql`select to_jsonb(r) as row from responses r order by id`);
const dumpOthers = async () => ({
	contacts: await db.query(
		sql`select response_id::text, name, phone, purpose from response_contacts order by 1`
	),
	cases: await db.query(
		sql`select response_id::text, survey_id, unit_code, status from follow_up_cases order by 1`
	),
	pending: await db.query(
		sql`select survey_id, unit_code, month::text from rollup_pending group by 1, 2, 3 order by 1, 2, 3`
	)
});

describe('migration 0010 on a populated responses table', () => {
	let before: { row: unknown }[];
	let others: Awaited<ReturnType<typeof dumpOthers>>;

	it('keeps every response, contact, case and pending mark', async () => {
		before = await dumpResponses();
		others = await dumpOthers();
		expect(before).toHaveLength(30);
		expect(others.contacts).toHaveLength(4);

		expect(
			await migrate(
				db,
				listMigrations().filter((m) => m.version === 10)
			)
		).toEqual([10]);

		expect(await dumpResponses()).toEqual(before);
		expect(await dumpOthers()).toEqual(others);
		const registry = await db.query<{ n: number }>(sql`
			select count(*)::int as n from response_ids i join responses r using (id)
			where i.content_hash = r.content_hash`);
		expect(registry[0]!.n).toBe(30);
	});

	it('puts each row in the partition of its month', async () => {
		const rows = await db.query<{ id: string; part: string; day: string }>(sql`
			select id::text, tableoid::regclass::text as part, local_date::text as day from responses`);
		for (const r of rows) expect(r.part).toBe(`responses_${r.day.slice(0, 7).replace('-', '_')}`);
		expect(new Set(rows.map((r) => r.part))).toEqual(
			new Set([
				'responses_2025_10',
				'responses_2025_11',
				'responses_2025_12',
				'responses_2026_01',
				'responses_2026_02',
				'responses_1999_05'
			])
		);
	});

	it('creates this month and the next three ahead, and a default partition', async () => {
		const parts = await db.query<{ name: string; bound: string }>(sql`
			select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
			from pg_inherits i join pg_class c on c.oid = i.inhrelid
			where i.inhparent = 'responses'::regclass`);
		const names = parts.map((p) => p.name);
		for (const month of monthsFrom(localDate(new Date()))) {
			expect(names).toContain(`responses_${month.slice(0, 7).replace('-', '_')}`);
		}
		expect(parts.find((p) => p.name === 'responses_default')?.bound).toBe('DEFAULT');
		expect(parts.find((p) => p.name === 'responses_2025_11')?.bound).toBe(
			"FOR VALUES FROM ('2025-11-01') TO ('2025-12-01')"
		);
	});

	it('keeps every index as a partitioned index on every partition', async () => {
		const parent = await db.query<{ name: string }>(sql`
			select c.relname as name from pg_index x join pg_class c on c.oid = x.indexrelid
			where x.indrelid = 'responses'::regclass order by 1`);
		expect(parent.map((i) => i.name)).toEqual([
			'responses_comments',
			'responses_export',
			'responses_flagged',
			'responses_pkey',
			'responses_recent_client',
			'responses_results'
		]);
		const [perPartition] = await db.query<{ min: number; max: number }>(sql`
			select min(n)::int as min, max(n)::int as max from (
				select count(x.indexrelid) as n
				from pg_inherits i left join pg_index x on x.indrelid = i.inhrelid
				where i.inhparent = 'responses'::regclass group by i.inhrelid) p`);
		expect(perPartition).toEqual({ min: 6, max: 6 });
	});

	it('keeps the roll-up triggers and the cascade from a response to its contact', async () => {
		await db.query(sql`delete from rollup_pending`);
		await db.query(sql`update responses set flag = 'partial' where id = ${ids[2]}::uuid`);
		await db.query(sql`delete from responses where id = ${ids[0]}::uuid`);
		const pending = await db.query<{ month: string }>(
			sql`select distinct month::text from rollup_pending order by 1`
		);
		expect(pending.map((p) => p.month)).toEqual([
			`${dateOf(0).slice(0, 7)}-01`,
			`${dateOf(2).slice(0, 7)}-01`
		]);
		const left = await db.query(sql`
			select 1 from response_ids where id = ${ids[0]}::uuid
			union all select 1 from response_contacts where response_id = ${ids[0]}::uuid`);
		expect(left).toEqual([]);
	});

	it('refuses a response whose id was not claimed in the registry', async () => {
		await expect(
			db.query(sql`
				insert into responses (id, survey_id, survey_version_id, unit_code, root_unit, channel,
					locale, received_at, effective_at, local_date, answers, scores, content_hash)
				select gen_random_uuid(), 'test-numbers', v.id, 'AG', 'AG', 'paper', 'vi', now(), now(),
					'2025-11-02', '{}', '{}', 'h'
				from survey_versions v where v.survey_id = 'test-numbers'`)
		).rejects.toThrow(/response_ids|foreign key/);
	});
});
