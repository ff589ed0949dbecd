import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { countResponses, pairedDevice, touchpointAt } from '$tests/helpers/responses';
import { addSurvey, startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { sql } from '$lib/server/db';
import { devices, type Touchpoint } from '$lib/server/touchpoints';
import { POST } from './+server';

let app: App;
let qr: Touchpoint;
let kiosk: Touchpoint;

beforeAll(async () => {
	app = await startNumbersApp();
	qr = await touchpointAt(app, 'test-numbers', 'AG.LX');
	kiosk = await touchpointAt(app, 'test-numbers', 'AG.LX', 'kiosk');
});
afterAll(() => app.db.close());

type Event = Parameters<typeof POST>[0];

async function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
	const request = new Request('http://localhost/api/v1/responses', {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body
	});
	const event = {
		request,
		getClientAddress: () => '203.0.113.7',
		locals: { locale: 'vi', user: null, sessionId: null }
	} as unknown as Event;
	const response = await POST(event);
	return { status: response.status, body: await response.json() };
}

const submission = (overrides: Record<string, unknown> = {}) => ({
	id: crypto.randomUUID(),
	touchpoint: qr.code,
	answeredAt: '2026-11-20T09:15:00+07:00',
	locale: 'vi',
	answers: { q1: 5, q2: 4, comment: 'Tốt' },
	...overrides
});

const count = () => countResponses(app);

/** Sends a body and checks that the database did not change. */
async function refused(body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>) {
	const before = await count();
	const result = await post(body, headers);
	expect(await count()).toBe(before);
	return result;
}

describe('POST /api/v1/responses', () => {
	it('stores a new response: 201', async () => {
		const s = submission();
		const before = await count();
		expect(await post(JSON.stringify(s))).toEqual({
			status: 201,
			body: { id: s.id, status: 'stored' }
		});
		expect(await count()).toBe(before + 1);
	});

	it('answers 200 duplicate to a replay and stores it once, even when both arrive together', async () => {
		const body = JSON.stringify(submission());
		const before = await count();
		const [a, b] = await Promise.all([post(body), post(body)]);
		expect([a.status, b.status].sort()).toEqual([200, 201]);
		expect((await post(body)).body.status).toBe('duplicate');
		expect(await count()).toBe(before + 1);
	});

	it('answers 409 to the same id with other content and keeps the original', async () => {
		const s = submission();
		await post(JSON.stringify(s));
		const result = await refused(JSON.stringify({ ...s, answers: { q1: 1 } }));
		expect(result.status).toBe(409);
		const [row] = await app.db.query<{ answers: unknown }>(
			sql`select answers from responses where id = ${s.id}`
		);
		expect(row!.answers).toEqual({ q1: 5, q2: 4, comment: 'Tốt' });
	});

	it('lists every invalid answer in a 422: unknown question, out of range, wrong type, missing required', async () => {
		const result = await refused(
			JSON.stringify(submission({ answers: { q9: 1, q2: 6, r1: '2', pct: 101 } }))
		);
		expect(result.status).toBe(422);
		expect(result.body.errors.map((e: { path: string }) => e.path)).toEqual([
			'answers.q9',
			'answers.q1',
			'answers.q2',
			'answers.r1',
			'answers.pct'
		]);
		expect(result.body.errors[1].message).toBe('Xin Ông/Bà trả lời câu này.');
		expect(result.body.errors[2].message).toBe('Chọn một mức từ 1 đến 5.');
	});

	it('refuses unknown and malformed envelope fields with 422', async () => {
		const extra = await refused(
			JSON.stringify({ ...submission(), agency_id: 'AG.SNV', verified: true })
		);
		expect(extra.status).toBe(422);
		expect(extra.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
			'agency_id',
			'verified'
		]);
		const badId = await refused(JSON.stringify(submission({ id: '1' })));
		expect([badId.status, badId.body.errors[0].path]).toEqual([422, 'id']);
		const noZone = await refused(JSON.stringify(submission({ answeredAt: '2026-11-20T09:15:00' })));
		expect([noZone.status, noZone.body.errors[0].path]).toEqual([422, 'answeredAt']);
		const unknownTouchpoint = await refused(JSON.stringify(submission({ touchpoint: 'nope' })));
		expect([unknownTouchpoint.status, unknownTouchpoint.body.errors[0].path]).toEqual([
			422,
			'touchpoint'
		]);
	});

	it('refuses an answeredAt outside the years the database stores: 422, not 503', async () => {
		for (const answeredAt of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00']) {
			const r = await refused(JSON.stringify(submission({ answeredAt })));
			expect([r.status, r.body.errors[0].path]).toEqual([422, 'answeredAt']);
		}
	});

	it('answers 400 to malformed JSON and to bytes that are not UTF-8', async () => {
		expect((await refused('{"id": ')).status).toBe(400);
		const invalidUtf8 = new Uint8Array([
			...new TextEncoder().encode('{"x":"'),
			0xc3,
			0x28,
			...new TextEncoder().encode('"}')
		]);
		const result = await refused(invalidUtf8);
		expect(result.status).toBe(400);
		expect(result.body.errors[0].message).toContain('UTF-8');
	});

	it('answers 413 to a body over 64 KiB, declared or not, before parsing it', async () => {
		const big = JSON.stringify(submission({ answers: { q1: 5, comment: 'x'.repeat(70 * 1024) } }));
		expect((await refused(big)).status).toBe(413);
		const stream = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
				controller.close();
			}
		});
		const request = new Request('http://localhost/api/v1/responses', {
			method: 'POST',
			body: stream,
			headers: { 'content-type': 'application/json' },
			duplex: 'half'
		} as RequestInit);
		const event = {
			request,
			getClientAddress: () => '203.0.113.7',
			locals: { locale: 'vi', user: null, sessionId: null }
		} as unknown as Event;
		expect((await POST(event)).status).toBe(413);
	});

	it('refuses a comment longer than the question allows (no truncation)', async () => {
		const result = await refused(
			JSON.stringify(submission({ answers: { q1: 5, comment: 'x'.repeat(21) } }))
		);
		expect([result.status, result.body.errors[0].path]).toEqual([422, 'answers.comment']);
	});

	it('stores NFD Vietnamese as NFC, so equal text compares equal', async () => {
		const s = submission({ answers: { q1: 4, comment: 'Hoa\u0300 tha\u0301i' } });
		expect((await post(JSON.stringify(s))).status).toBe(201);
		const [row] = await app.db.query<{ comment: string }>(
			sql`select answers->>'comment' as comment from responses where id = ${s.id}`
		);
		expect(row!.comment).toBe('Hoà thái');
		expect(row!.comment).toBe('Hoà thái'.normalize('NFC'));
		// the same answers sent composed are the same content: a replay, not a conflict
		const composed = { ...s, answers: { q1: 4, comment: 'Hoà thái' } };
		expect((await post(JSON.stringify(composed))).body.status).toBe('duplicate');
	});

	it('refuses NUL in text with 422, not a server error', async () => {
		const result = await refused(
			JSON.stringify(submission({ answers: { q1: 4, comment: 'a\u0000b' } }))
		);
		expect(result.status).toBe(422);
	});

	it('files a response by the device clock when plausible, else by the receipt time', async () => {
		const plausible = submission({ answeredAt: new Date(Date.now() - 3 * 864e5).toISOString() });
		const skewed = submission({ answeredAt: '1970-01-01T00:00:00Z' });
		await post(JSON.stringify(plausible));
		await post(JSON.stringify(skewed));
		const rows = await app.db.query<{ id: string; effective: Date; reported: Date }>(sql`
			select id::text, effective_at as effective, reported_at as reported from responses
			where id in (${plausible.id}::uuid, ${skewed.id}::uuid)`);
		const byId = new Map(rows.map((r) => [r.id, r]));
		expect(new Date(byId.get(plausible.id)!.effective).toISOString()).toBe(
			new Date(plausible.answeredAt as string).toISOString()
		);
		const skewedRow = byId.get(skewed.id)!;
		expect(new Date(skewedRow.reported).getTime()).toBe(0); // what the device said is kept
		expect(Date.now() - new Date(skewedRow.effective).getTime()).toBeLessThan(60_000);
	});

	it('requires a device token for a kiosk touchpoint', async () => {
		const result = await refused(JSON.stringify(submission({ touchpoint: kiosk.code })));
		expect(result.status).toBe(401);
	});
});

describe('POST /api/v1/responses from a kiosk', () => {
	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

	it('refuses a kiosk response without a token, or with a QR-style or unknown token: 401', async () => {
		const body = () => JSON.stringify(submission({ touchpoint: kiosk.code }));
		for (const headers of [{}, bearer('hl_notadevice'), bearer(`dv_${'a'.repeat(32)}`)]) {
			const result = await refused(body(), headers);
			expect(result.status).toBe(401);
			expect(result.body.errors[0].message).toBeTruthy();
		}
	});

	it('refuses the token of a device paired to another touchpoint: 401', async () => {
		const elsewhere = await touchpointAt(app, 'test-numbers', 'AG.CD', 'kiosk');
		const { token } = await pairedDevice(app, elsewhere);
		const result = await refused(
			JSON.stringify(submission({ touchpoint: kiosk.code })),
			bearer(token)
		);
		expect(result.status).toBe(401);
	});

	it('stores a response sent with the token of a tablet paired here: 201', async () => {
		const { token, device } = await pairedDevice(app, kiosk);
		const s = submission({ touchpoint: kiosk.code });
		const before = await count();
		expect(await post(JSON.stringify(s), bearer(token))).toEqual({
			status: 201,
			body: { id: s.id, status: 'stored' }
		});
		expect(await count()).toBe(before + 1);
		const [row] = await app.db.query<{ channel: string; seen: Date | null }>(sql`
			select r.channel, (select last_seen_at from devices where id = ${device}) as seen
			from responses r where r.id = ${s.id}::uuid`);
		expect(row).toMatchObject({ channel: 'kiosk', seen: expect.anything() });
	});

	it('counts citizens who give a kiosk the same answers one after another, none as a duplicate', async () => {
		const { token } = await pairedDevice(app, kiosk);
		const same = [1, 2, 3].map(() => submission({ touchpoint: kiosk.code, answers: { q1: 4 } }));
		for (const s of same) expect((await post(JSON.stringify(s), bearer(token))).status).toBe(201);
		const rows = await app.db.query<{ flag: string | null }>(
			sql`select flag from responses where id = any(${same.map((s) => s.id)}::uuid[])`
		);
		expect(rows.map((r) => r.flag)).toEqual([null, null, null]);
	});

	it('keeps what a tablet sent before revocation and refuses what it sends after: 401', async () => {
		const { token, device } = await pairedDevice(app, kiosk);
		const early = submission({ touchpoint: kiosk.code });
		expect((await post(JSON.stringify(early), bearer(token))).status).toBe(201);
		expect(await devices.revoke(app.db, kiosk.id, device)).toBe(true);
		const late = submission({ touchpoint: kiosk.code, answeredAt: early.answeredAt });
		expect((await refused(JSON.stringify(late), bearer(token))).status).toBe(401);
		const kept = await app.db.query(sql`select 1 from responses where id = ${early.id}::uuid`);
		expect(kept).toHaveLength(1);
	});
	it('stores what a respondent answered before walking away, flagged partial and left out of results', async () => {
		const { token } = await pairedDevice(app, kiosk);
		// q1 is required: a partial response may skip it, a whole one may not.
		const left = submission({ touchpoint: kiosk.code, answers: { q2: 4 }, partial: true });
		const stored = await post(JSON.stringify(left), bearer(token));
		expect(stored).toMatchObject({ status: 201, body: { status: 'stored' } });
		const [row] = await app.db.query<{ flag: string }>(
			sql`select flag from responses where id = ${left.id}::uuid`
		);
		expect(row!.flag).toBe('partial');
		// The same id replayed without the marker is other content: a conflict, not a second row.
		const whole = { ...left, partial: undefined };
		expect((await post(JSON.stringify(whole), bearer(token))).status).toBe(422);
		expect(
			(await post(JSON.stringify({ ...whole, answers: { q1: 3, q2: 4 } }), bearer(token))).status
		).toBe(409);
		// Invalid answers stay invalid when partial; QR links cannot claim to be partial.
		const bad = submission({ touchpoint: kiosk.code, answers: { q2: 9 }, partial: true });
		expect((await refused(JSON.stringify(bad), bearer(token))).status).toBe(422);
		const qrPartial = await refused(
			JSON.stringify(submission({ partial: true, answers: { q2: 4 } }))
		);
		expect(qrPartial.body.errors).toEqual([{ path: 'partial', message: expect.any(String) }]);
	});

	it('files a respondent on the survey version they began, after a new one is published', async () => {
		const { token } = await pairedDevice(app, kiosk);
		const v1 = app.surveys.current('test-numbers')!;
		const next = structuredClone(numbersSurvey);
		next.version = 2;
		next.sections[0]!.questions.push({
			id: 'q9',
			type: 'likert5',
			text: { vi: 'Câu mới', en: 'New item' },
			required: true
		} as never);
		await addSurvey(app, next);
		const began = submission({ touchpoint: kiosk.code, answers: { q1: 5 } });
		// On the new version q9 is required; on the one this respondent saw it did not exist.
		expect((await refused(JSON.stringify(began), bearer(token))).status).toBe(422);
		const onV1 = { ...began, version: 1 };
		expect((await post(JSON.stringify(onV1), bearer(token))).status).toBe(201);
		const [row] = await app.db.query<{ v: number }>(
			sql`select survey_version_id as v from responses where id = ${began.id}::uuid`
		);
		expect(row!.v).toBe(v1.versionId);
		const unknown = await refused(
			JSON.stringify({ ...submission({ touchpoint: kiosk.code }), version: 7 }),
			bearer(token)
		);
		expect(unknown.body.errors).toEqual([{ path: 'version', message: expect.any(String) }]);
	});
});
