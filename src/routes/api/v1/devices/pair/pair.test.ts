import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppWithTouchpoint } from '$tests/helpers/responses';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import { sql } from '$lib/server/db';
import { devices, type Touchpoint } from '$lib/server/touchpoints';
import { POST } from './+server';

let app: App;
let kiosk: Touchpoint;

beforeAll(async () => {
	({ app, touchpoint: kiosk } = await startAppWithTouchpoint('sipas-one-stop', 'kiosk'));
});
afterAll(() => app.db.close());

type Event = Parameters<typeof POST>[0];

async function post(body: string, address = '203.0.113.20') {
	const request = new Request('http://localhost/api/v1/devices/pair', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body
	});
	const event = {
		request,
		getClientAddress: () => address,
		locals: { locale: 'vi', user: null, sessionId: null }
	} as unknown as Event;
	const response = await POST(event);
	return { status: response.status, headers: response.headers, body: await response.json() };
}

const pairingCode = async (name = 'Quầy 5') =>
	(await devices.create(app.db, { touchpointId: kiosk.id, name, createdBy: 'test' })).code;

describe('POST /api/v1/devices/pair', () => {
	it('answers 201 with the device token once, then 404 for the same code, and audits it', async () => {
		const code = await pairingCode();
		const first = await post(JSON.stringify({ code }));
		expect(first.status).toBe(201);
		expect(first.headers.get('cache-control')).toBe('no-store');
		expect(first.body).toEqual({
			device: expect.stringMatching(/^[a-z2-7]{16}$/),
			name: 'Quầy 5',
			token: expect.stringMatching(/^dv_[a-z2-7]{32}$/),
			touchpoint: kiosk.code,
			survey: 'sipas-one-stop',
			// The kiosk's welcome screen names the office and its province from the unit tree.
			place: {
				office: { vi: 'Thành phố Long Xuyên', en: 'Long Xuyen City' },
				province: {
					vi: 'Ủy ban nhân dân tỉnh An Giang',
					en: "An Giang Provincial People's Committee"
				}
			}
		});
		const [entry] = await listAudit(app.db, { action: 'device_paired', limit: 1 });
		expect(entry).toMatchObject({
			actorId: null,
			target: first.body.device,
			detail: { device: first.body.device },
			client: '203.0.113.20'
		});
		const again = await post(JSON.stringify({ code }));
		expect(again.status).toBe(404);
		expect(again.body.errors[0]).toMatchObject({ path: 'code', message: expect.any(String) });
	});

	it('refuses an expired code with 404', async () => {
		const code = await pairingCode();
		await app.db.query(
			sql`update devices set pairing_expires_at = now() - interval '1 minute'
				where pairing_code_hash is not null`
		);
		const result = await post(JSON.stringify({ code }), '203.0.113.21');
		expect(result.status).toBe(404);
		expect(result.body.errors).toHaveLength(1);
	});

	it('answers 422 to a body without a code and 400 to broken JSON, 413 when too large', async () => {
		expect((await post(JSON.stringify({ pin: '1' }), '203.0.113.22')).status).toBe(422);
		expect((await post('{"code":', '203.0.113.22')).status).toBe(400);
		expect((await post(JSON.stringify({ code: 'x'.repeat(70_000) }), '203.0.113.22')).status).toBe(
			413
		);
	});

	it('stops a client after too many wrong codes, even before a right one', async () => {
		const address = '203.0.113.30';
		for (let i = 0; i < devices.PAIRING_ATTEMPTS; i++) {
			expect((await post(JSON.stringify({ code: 'ZZZZZZZZ' }), address)).status).toBe(404);
		}
		const code = await pairingCode();
		const blocked = await post(JSON.stringify({ code }), address);
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
		// Another client is not affected, and the code was not spent by the refused attempt.
		expect((await post(JSON.stringify({ code }), '203.0.113.31')).status).toBe(201);
	});
});
