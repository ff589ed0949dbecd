import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { sql } from '../db';
import { insertPending } from './insert';
import * as responses from './store';
import type { Touchpoint } from '../touchpoints';

// Submissions that arrive together share one statement (the group commit); each must end as it
// would alone: stored once, a replay told apart from a conflict, a repeat from the same phone
// flagged, a case opened once.
let app: App;
let qr: Touchpoint;

beforeAll(async () => {
	app = await startNumbersApp();
	qr = await touchpointAt(app, 'test-numbers', 'AG.LX', 'qr');
});
afterAll(() => app.db.close());

const send = (id: string, answers: Record<string, unknown>, clientHash: string | null = null) =>
	responses.store(app.db, app.surveys, {
		id,
		touchpoint: qr,
		reportedAt: null,
		receivedAt: new Date(),
		locale: 'vi',
		answers,
		clientHash
	});

const stored = async (ids: string[]) => {
	const [row] = await app.db.query<{ n: number }>(
		sql`select count(*)::int as n from responses where id = any(${ids}::uuid[])`
	);
	return row!.n;
};

const cases = async (id: string) => {
	const [row] = await app.db.query<{ n: number }>(
		sql`select count(*)::int as n from follow_up_cases where response_id = ${id}::uuid`
	);
	return row!.n;
};

describe('submissions stored together', () => {
	it('stores a burst of different submissions, each once', async () => {
		const ids = Array.from({ length: 60 }, () => crypto.randomUUID());
		const results = await Promise.all(ids.map((id, i) => send(id, { q1: (i % 5) + 1 })));
		expect(results.map((r) => r.status)).toEqual(ids.map(() => 'stored'));
		expect(await stored(ids)).toBe(60);
	});

	it('stores an id sent three times at once once, and tells replays from conflicts', async () => {
		const id = crypto.randomUUID();
		const copies = [{ q1: 5 }, { q1: 5 }, { q1: 1 }];
		const results = await Promise.all(copies.map((answers) => send(id, answers)));
		const winner = results.findIndex((r) => r.status === 'stored');
		expect(results.filter((r) => r.status === 'stored')).toHaveLength(1);
		results.forEach((r, i) => {
			if (i === winner) return;
			const same = copies[i]!.q1 === copies[winner]!.q1;
			expect(r.status).toBe(same ? 'duplicate' : 'conflict');
		});
		expect(await stored([id])).toBe(1);
	});
});

describe('one statement of several rows', () => {
	const pending = (id: string, answers: Record<string, unknown>, clientHash: string | null) => {
		const prepared = responses.prepare(app.surveys.current('test-numbers')!, {
			id,
			touchpointId: qr.id,
			unitCode: qr.unitCode,
			rootUnit: qr.rootUnit,
			channel: qr.channel,
			locale: 'vi',
			reportedAt: null,
			receivedAt: new Date(),
			answers,
			where: qr.code
		});
		if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
		const row = prepared.row;
		return {
			row,
			clientHash,
			answersHash: clientHash && JSON.stringify(row.answers),
			partial: false,
			opensCase: row.lowRating && row.comment !== null,
			recentFrom: '2000-01-01'
		};
	};

	it('flags the second of two identical answers from one phone within the statement', async () => {
		const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
		const phone = `phone-${crypto.randomUUID()}`;
		const ids = await insertPending(app.db, [
			pending(a, { q1: 4, q2: 4 }, phone),
			pending(b, { q1: 4, q2: 4 }, phone),
			pending(c, { q1: 4, q2: 4 }, `another-${phone}`)
		]);
		expect(ids).toEqual(new Set([a, b, c]));
		const flags = await app.db.query<{ id: string; flag: string | null }>(
			sql`select id::text, flag from responses where id = any(${[a, b, c]}::uuid[])`
		);
		const flagOf = new Map(flags.map((f) => [f.id, f.flag]));
		expect([flagOf.get(a), flagOf.get(b), flagOf.get(c)]).toEqual([null, 'duplicate', null]);
	});

	it('stores an id given twice once, and opens its case once', async () => {
		const id = crypto.randomUUID();
		const complaint = { q1: 1, comment: 'Chờ quá lâu' };
		const ids = await insertPending(app.db, [
			pending(id, complaint, null),
			pending(id, complaint, null)
		]);
		expect(ids).toEqual(new Set([id]));
		expect(await stored([id])).toBe(1);
		expect(await cases(id)).toBe(1);
	});
});
