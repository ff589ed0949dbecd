import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { hashSecret } from '../auth';
import { sql } from '../db';
import * as devices from './devices';
import type { Touchpoint } from './records';

let app: App;
let kiosk: Touchpoint;
let otherKiosk: Touchpoint;

beforeAll(async () => {
	app = await startTestApp();
	kiosk = await touchpointAt(app, 'sipas-one-stop', 'AG.LX', 'kiosk');
	otherKiosk = await touchpointAt(app, 'sipas-one-stop', 'AG.CD', 'kiosk');
});
afterAll(() => app.db.close());

const newDevice = (touchpoint = kiosk, name = 'Quầy 1') =>
	devices.create(app.db, { touchpointId: touchpoint.id, name, createdBy: 'test' });

async function row(id: string) {
	const [r] = await app.db.query<{
		token_hash: string | null;
		pairing_code_hash: string | null;
		revoked_at: Date | null;
		last_seen_at: Date | null;
	}>(
		sql`select token_hash, pairing_code_hash, revoked_at, last_seen_at from devices where id = ${id}`
	);
	return r!;
}

describe('pairing codes', () => {
	it('are 8 unambiguous characters and stored only as their SHA-256', async () => {
		const { id, code } = await newDevice();
		expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
		const stored = await row(id);
		expect(stored.pairing_code_hash).toBe(hashSecret(code));
		expect(JSON.stringify(stored)).not.toContain(code);
	});

	it('read O as 0 and I or L as 1, ignoring case, spaces and the dash', () => {
		expect(devices.normalisePairingCode('ab1o-il 2z')).toBe('AB10112Z');
		expect(devices.formatPairingCode('AB10112Z')).toBe('AB10-112Z');
	});
});

describe('pair', () => {
	it('trades a code for a token once; the code is then used up', async () => {
		const { id, code } = await newDevice(kiosk, 'Quầy 2');
		const pairing = await devices.pair(app.db, devices.formatPairingCode(code).toLowerCase());
		expect(pairing).toMatchObject({
			device: id,
			name: 'Quầy 2',
			touchpoint: kiosk.code,
			survey: 'sipas-one-stop'
		});
		expect(pairing!.token).toMatch(/^dv_[a-z2-7]{32}$/);
		const stored = await row(id);
		expect(stored.token_hash).toBe(hashSecret(pairing!.token));
		expect(stored.pairing_code_hash).toBeNull();
		expect(await devices.pair(app.db, code)).toBeUndefined();
	});

	it('gives one token when two tablets race with the same code', async () => {
		const { code } = await newDevice();
		const both = await Promise.all([devices.pair(app.db, code), devices.pair(app.db, code)]);
		expect(both.filter(Boolean)).toHaveLength(1);
	});

	it('refuses an expired code', async () => {
		const { id, code } = await newDevice();
		await app.db.query(
			sql`update devices set pairing_expires_at = now() - interval '1 second' where id = ${id}`
		);
		expect(await devices.pair(app.db, code)).toBeUndefined();
		expect((await row(id)).token_hash).toBeNull();
	});

	it('refuses the code of a revoked device and malformed codes', async () => {
		const { id, code } = await newDevice();
		expect(await devices.revoke(app.db, kiosk.id, id)).toBe(true);
		expect(await devices.pair(app.db, code)).toBeUndefined();
		expect(await devices.pair(app.db, "' or 1=1 --")).toBeUndefined();
	});
});

describe('authenticate', () => {
	it('accepts a live token on its own touchpoint only and records when it was seen', async () => {
		const { id, code } = await newDevice();
		const { token } = (await devices.pair(app.db, code))!;
		expect(await devices.authenticate(app.db, token, kiosk.id)).toBe(id);
		expect((await row(id)).last_seen_at).not.toBeNull();
		expect(await devices.authenticate(app.db, token, otherKiosk.id)).toBeUndefined();
		// Another last character, whatever the token ends with.
		const wrong = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
		expect(await devices.authenticate(app.db, wrong, kiosk.id)).toBeUndefined();
		expect(await devices.authenticate(app.db, null, kiosk.id)).toBeUndefined();
	});

	it('stops a revoked token at once and erases its hash', async () => {
		const { id, code } = await newDevice();
		const { token } = (await devices.pair(app.db, code))!;
		expect(await devices.revoke(app.db, otherKiosk.id, id)).toBe(false);
		expect(await devices.revoke(app.db, kiosk.id, id)).toBe(true);
		expect(await devices.authenticate(app.db, token, kiosk.id)).toBeUndefined();
		const stored = await row(id);
		expect(stored.token_hash).toBeNull();
		expect(stored.revoked_at).not.toBeNull();
		expect(await devices.revoke(app.db, kiosk.id, id)).toBe(false);
	});
});

describe('authenticate, many at once', () => {
	it('answers each lookup of a burst for its own token and touchpoint', async () => {
		const live = await newDevice();
		const { token } = (await devices.pair(app.db, live.code))!;
		const revoked = await newDevice();
		const gone = (await devices.pair(app.db, revoked.code))!.token;
		await devices.revoke(app.db, kiosk.id, revoked.id);
		const asks: [string, number, string | undefined][] = [
			[token, kiosk.id, live.id],
			[token, otherKiosk.id, undefined],
			[gone, kiosk.id, undefined],
			[token, kiosk.id, live.id],
			[`dv_${'a'.repeat(32)}`, kiosk.id, undefined]
		];
		// Several rounds in flight at once, so later lookups share statements.
		const all = Array.from({ length: 4 }, () => asks).flat();
		const found = await Promise.all(all.map(([t, tp]) => devices.authenticate(app.db, t, tp)));
		expect(found).toEqual(all.map(([, , expected]) => expected));
	});
});

describe('rename', () => {
	it('returns the previous name, and nothing for a device of another touchpoint', async () => {
		const { id } = await newDevice(kiosk, 'Cũ');
		expect(await devices.rename(app.db, otherKiosk.id, id, 'Khác')).toBeUndefined();
		expect(await devices.rename(app.db, kiosk.id, id, 'Mới')).toBe('Cũ');
		const list = await devices.listForTouchpoint(app.db, kiosk.id);
		expect(list.find((d) => d.id === id)?.name).toBe('Mới');
	});
});

describe('bearerToken', () => {
	it('reads the token of an Authorization header', () => {
		expect(devices.bearerToken('Bearer dv_abc')).toBe('dv_abc');
		expect(devices.bearerToken('Basic xyz')).toBeNull();
		expect(devices.bearerToken(null)).toBeNull();
	});
});
