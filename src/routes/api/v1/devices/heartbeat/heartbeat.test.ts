import { version as appVersion } from '$app/environment';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairedDevice, startAppWithTouchpoint } from '$tests/helpers/responses';
import { parseOpeningHours } from '$lib/kiosk/opening-hours';
import type { App } from '$lib/server/app';
import { sql } from '$lib/server/db';
import { listHealth, devices, type Touchpoint } from '$lib/server/touchpoints';
import { POST } from './+server';

let app: App;
let kiosk: Touchpoint;

beforeAll(async () => {
	({ app, touchpoint: kiosk } = await startAppWithTouchpoint('one-stop-case', 'kiosk'));
});
afterAll(() => app.db.close());

async function beat(token: string | null, body: unknown) {
	const request = new Request('http://localhost/api/v1/devices/heartbeat', {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	const response = await POST({ request, locals: { locale: 'vi' } } as never);
	return { status: response.status, body: await response.json() };
}

const report = {
	queueLength: 3,
	oldestQueuedAt: '2026-11-27T09:00:00+07:00',
	lastSyncAt: '2026-11-27T08:59:00+07:00',
	deadLetters: 0,
	appVersion: '1.0.0',
	online: false
};

describe('POST /api/v1/devices/heartbeat', () => {
	it('records the report and answers what the touchpoint expects now', async () => {
		const { device: id, token } = await pairedDevice(app, kiosk, 'Quầy 1');
		const answer = await beat(token, report);
		expect(answer).toEqual({
			status: 200,
			body: {
				touchpoint: kiosk.code,
				survey: 'one-stop-case',
				version: app.surveys.current('one-stop-case')!.definition.version,
				// Khmer waits for an administrator's review of its draft.
				languages: ['vi', 'en'],
				idleSeconds: 45,
				idlePolicy: 'discard',
				active: true,
				appVersion,
				place: {
					office: { vi: 'Thành phố Long Xuyên', en: 'Long Xuyen City' },
					province: {
						vi: 'Ủy ban nhân dân tỉnh An Giang',
						en: "An Giang Provincial People's Committee"
					}
				}
			}
		});
		const [row] = await app.db.query<{ heartbeat: unknown }>(
			sql`select heartbeat from devices where id = ${id}`
		);
		const stored = typeof row!.heartbeat === 'string' ? JSON.parse(row!.heartbeat) : row!.heartbeat;
		expect(stored).toEqual(report);
	});

	it('brings a renamed office to the counter with the next heartbeat', async () => {
		const { token } = await pairedDevice(app, kiosk, 'Quầy 3');
		await app.db.query(sql`update units set name_vi = 'Phường Long Xuyên' where code = 'AG.LX'`);
		try {
			expect((await beat(token, report)).body.place.office.vi).toBe('Phường Long Xuyên');
		} finally {
			await app.db.query(
				sql`update units set name_vi = 'Thành phố Long Xuyên' where code = 'AG.LX'`
			);
		}
	});

	it('refuses a missing, unknown or revoked token, and a malformed report', async () => {
		const { device: id, token } = await pairedDevice(app, kiosk, 'Quầy 2');
		expect((await beat(null, report)).status).toBe(401);
		expect((await beat(`dv_${'a'.repeat(32)}`, report)).status).toBe(401);
		const extra = await beat(token, { ...report, queueLength: -1, agency_id: 'AG.CD' });
		expect(extra.status).toBe(422);
		expect(extra.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
			'',
			'queueLength'
		]);
		await devices.revoke(app.db, kiosk.id, id);
		expect((await beat(token, report)).status).toBe(401);
	});
});

describe('device health', () => {
	const hours = parseOpeningHours('Mon-Fri 07:00-11:30,13:00-17:00')!;

	it('flags a kiosk that missed more than 30 minutes of opening time, and not over a night', async () => {
		const quiet = await pairedDevice(app, kiosk, 'Quầy im lặng');
		const night = await pairedDevice(app, kiosk, 'Quầy qua đêm');
		await app.db.query(sql`update devices set last_seen_at = '2026-11-27T09:00:00+07:00'
			where id = ${quiet.device}`);
		await app.db.query(sql`update devices set last_seen_at = '2026-11-26T16:55:00+07:00'
			where id = ${night.device}`);
		// Friday 09:40 in Viet Nam.
		const now = new Date('2026-11-27T09:40:00+07:00');
		const health = await listHealth(app.db, hours, now);
		const byName = new Map(health.map((d) => [d.name, d]));
		expect(byName.get('Quầy im lặng')).toMatchObject({ silentMinutes: 40, silent: true });
		// Thursday 16:55 to Friday 09:40: 5 + 160 minutes open: silent too. At 07:20 it would not be.
		expect(byName.get('Quầy qua đêm')).toMatchObject({ silentMinutes: 165, silent: true });
		const early = await listHealth(app.db, hours, new Date('2026-11-27T07:20:00+07:00'));
		expect(early.find((d) => d.name === 'Quầy qua đêm')).toMatchObject({
			silentMinutes: 25,
			silent: false
		});
	});
});
