import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperRow, touchpointAt } from '$tests/helpers/responses';
import { startNumbersApp } from '$tests/helpers/test-app';
import { localDate, startOfLocalDate } from '$lib/survey/periods';
import type { App } from '../app';
import { sql, partitions } from '../db';
import * as responses from './store';
import type { Touchpoint } from '../touchpoints';

// Responses are partitioned by month of local_date (migration 0010), yet an id is stored once:
// a kiosk replaying an answer weeks later gets another local_date (its clock now implausible),
// and must still be told "duplicate", or "conflict" for other content, never stored twice.
let app: App;
let kiosk: Touchpoint;

beforeAll(async () => {
	app = await startNumbersApp();
	kiosk = await touchpointAt(app, 'test-numbers', 'AG.LX', 'kiosk');
	// On the first of a month, yesterday's month is not among those created ahead.
	await partitions.addMonth(app.db, localDate(answeredAt));
});
afterAll(() => app.db.close());

const DAY = 86_400_000;
/** When the citizens answered: a day before the answers first reached the server. */
const answeredAt = new Date(Date.now() - DAY);

async function placesOf(id: string) {
	return app.db.query<{ part: string; day: string }>(sql`
		select tableoid::regclass::text as part, local_date::text as day
		from responses where id = ${id}::uuid`);
}

/** A paper questionnaire of AG.LX dated `day`, prepared for the bulk path. */
const row = (id: string, day: string, answers: Record<string, unknown> = { q1: 3 }) =>
	paperRow(app, answers, { id, paperDate: { effectiveAt: startOfLocalDate(day), localDate: day } });

const partitionOf = (day: string) => `responses_${day.slice(0, 7).replace('-', '_')}`;

function submission(id: string, receivedAt: Date, answers: Record<string, unknown>) {
	return {
		id,
		touchpoint: kiosk,
		// Plausible on the first delivery; 40 days later it is not, and the receipt time counts.
		reportedAt: answeredAt,
		receivedAt,
		locale: 'vi' as const,
		answers
	};
}

describe('storing responses in monthly partitions', () => {
	it('puts a stored response in the partition of its month', async () => {
		const id = crypto.randomUUID();
		const result = await responses.store(
			app.db,
			app.surveys,
			submission(id, new Date(), { q1: 4 })
		);
		expect(result.status).toBe('stored');
		const [place] = await placesOf(id);
		expect(place!.day).toBe(localDate(answeredAt));
		expect(place!.part).toBe(partitionOf(place!.day));
	});

	it('stores a replay with another local date once and calls it a duplicate', async () => {
		const id = crypto.randomUUID();
		const first = await responses.store(app.db, app.surveys, submission(id, new Date(), { q1: 5 }));
		const later = new Date(Date.now() + 40 * DAY);
		const replay = await responses.store(app.db, app.surveys, submission(id, later, { q1: 5 }));
		expect([first.status, replay.status]).toEqual(['stored', 'duplicate']);
		expect(localDate(later)).not.toBe(localDate(answeredAt));
		expect(await placesOf(id)).toHaveLength(1);
	});

	it('refuses other content under a stored id as a conflict, whatever its date', async () => {
		const id = crypto.randomUUID();
		await responses.store(app.db, app.surveys, submission(id, new Date(), { q1: 5 }));
		const later = new Date(Date.now() + 40 * DAY);
		const reuse = await responses.store(app.db, app.surveys, submission(id, later, { q1: 1 }));
		expect(reuse.status).toBe('conflict');
		expect(await placesOf(id)).toHaveLength(1);
	});

	it('skips bulk rows whose id is stored under another date, or repeated in the batch', async () => {
		const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
		expect(await responses.insertMany(app.db, [row(a, '2025-03-10'), row(b, '2025-04-10')])).toBe(
			2
		);
		const again = [
			row(a, '2025-05-10'),
			row(b, '2025-03-10'),
			row(crypto.randomUUID(), '2025-03-11')
		];
		const twice = crypto.randomUUID();
		again.push(row(twice, '2025-03-12'), row(twice, '2025-06-12'));
		expect(await responses.insertMany(app.db, again)).toBe(2);
		expect((await placesOf(a)).map((p) => p.day)).toEqual(['2025-03-10']);
		expect((await placesOf(twice)).map((p) => p.day)).toEqual(['2025-03-12']);
		const hashes = await responses.existingHashes(app.db, [a, b, twice]);
		expect(hashes.size).toBe(3);
	});

	it('stores a date outside every month partition in the default partition', async () => {
		const paper = row(crypto.randomUUID(), '1998-02-03', { q1: 2 });
		expect(await responses.insertMany(app.db, [paper])).toBe(1);
		expect(await placesOf(paper.id)).toEqual([{ part: 'responses_default', day: '1998-02-03' }]);
	});
});
