import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberedUuid } from '$tests/helpers/fixtures';
import { openDatabaseBefore } from '$tests/helpers/test-app';
import type { Database } from './driver';
import { migrate } from './migrate';
import { json, sql } from './sql';

// Migration 0007 gives responses stored before it their comment, their low-rating mark and their
// follow-up case, computed in SQL from the stored answers and survey version.
let db: Database;

beforeAll(async () => {
	db = await openDatabaseBefore(7);
});
afterAll(() => db.close());

async function insert(id: string, answers: Record<string, unknown>) {
	await db.query(sql`
		insert into responses (id, survey_id, survey_version_id, unit_code, root_unit, channel, locale,
			received_at, effective_at, local_date, answers, scores, content_hash)
		select ${id}::uuid, 'test-numbers', v.id, 'AG', 'AG', 'paper', 'vi', now(), now(), '2026-07-01',
			${json(answers)}, '{}', 'h'
		from survey_versions v where v.survey_id = 'test-numbers'`);
}

describe('migration 0007 on responses stored before it', () => {
	it('fills comment and low_rating and opens the cases the ingest would have opened', async () => {
		const ids = {
			lowWithComment: numberedUuid(1),
			lowRating3: numberedUuid(2),
			lowNoComment: numberedUuid(3),
			lowWithContact: numberedUuid(4),
			neutral: numberedUuid(5)
		};
		await insert(ids.lowWithComment, { q1: 2, comment: 'Chậm' });
		await insert(ids.lowRating3, { q1: 'NA', r1: 1, comment: 'Phí' });
		await insert(ids.lowNoComment, { q1: 1, comment: 'NA' });
		await insert(ids.lowWithContact, { q1: 1 });
		await insert(ids.neutral, { q1: 3, comment: 'Được' });
		await db.query(sql`
			insert into response_contacts (response_id, name, phone, purpose, consented_at)
			values (${ids.lowWithContact}::uuid, 'A', '0912345678', 'follow_up', now())`);

		await migrate(db);

		const rows = await db.query<{
			id: string;
			comment: string | null;
			low: boolean;
			opened: boolean;
		}>(sql`
			select r.id::text as id, r.comment, r.low_rating as low,
				exists (select 1 from follow_up_cases c where c.response_id = r.id) as opened
			from responses r order by r.id`);
		expect(rows).toEqual([
			{ id: ids.lowWithComment, comment: 'Chậm', low: true, opened: true },
			{ id: ids.lowRating3, comment: 'Phí', low: true, opened: true },
			{ id: ids.lowNoComment, comment: null, low: true, opened: false },
			{ id: ids.lowWithContact, comment: null, low: true, opened: true },
			{ id: ids.neutral, comment: 'Được', low: false, opened: false }
		]);
	});
});
