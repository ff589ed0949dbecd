import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { dataOf, run, staffOfLX } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit, type AuditAction } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import { sql } from '$lib/server/db';
import * as touchpoints from '$lib/server/touchpoints';
import type { Touchpoint } from '$lib/server/touchpoints';
import { actions as deviceActions, load as devicesLoad } from './+page.server';

let app: App;
let admin: SessionUser, analyst: SessionUser, managerLX: SessionUser, clerkLX: SessionUser;
let atLX: Touchpoint, kioskLX: Touchpoint;

beforeAll(async () => {
	app = await startTestApp();
	({ admin, analyst, managerLX, clerkLX } = await staffOfLX(app));
	atLX = await touchpointAt(app, 'sipas-one-stop', 'AG.LX');
	kioskLX = await touchpointAt(app, 'sipas-one-stop', 'AG.LX', 'kiosk');
});
afterAll(() => app.db.close());
const lastAudit = async (action: AuditAction) => (await listAudit(app.db, { action, limit: 1 }))[0];

describe('kiosk devices', () => {
	const at = (tp: Touchpoint) => ({
		path: `/touchpoints/${tp.code}/devices`,
		params: { code: tp.code }
	});

	it('are managed by administrators only: 404 for managers, analysts and clerks', async () => {
		for (const user of [managerLX, analyst, clerkLX]) {
			expect(await run(devicesLoad, { user, ...at(kioskLX) })).toMatchObject({ status: 404 });
			for (const action of ['pair', 'rename', 'revoke'] as const) {
				const form = { name: 'X', id: 'aaaaaaaaaaaaaaaa' };
				expect(await run(deviceActions[action]!, { user, ...at(kioskLX), form })).toMatchObject({
					kind: 'error',
					status: 404
				});
			}
		}
		expect(await run(devicesLoad, { user: admin, ...at(atLX) })).toMatchObject({ status: 404 });
	});

	it('pair, rename and revoke a tablet, each audited', async () => {
		const paired = await run(deviceActions.pair!, {
			user: admin,
			...at(kioskLX),
			form: { name: 'Quầy 7' }
		});
		if (paired.kind !== 'ok') throw new Error(paired.kind);
		const shown = paired.data.paired as { code: string; link: string; svg: string };
		expect(shown.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		// The QR opens the kiosk page with the code filled in.
		expect(shown.link).toMatch(new RegExp(`/kiosk\\?code=${shown.code}$`));
		expect(shown.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
		const created = await lastAudit('device_created');
		expect(created).toMatchObject({ actorEmail: admin.email, detail: { name: 'Quầy 7' } });
		const id = created!.target!;

		const loaded = await run(devicesLoad, { user: admin, ...at(kioskLX) });
		const list = dataOf(loaded).devices as { id: string; name: string }[];
		expect(list.find((d) => d.id === id)?.name).toBe('Quầy 7');

		const blank = await run(deviceActions.rename!, {
			user: admin,
			...at(kioskLX),
			form: { id, name: '  ' }
		});
		expect(blank).toMatchObject({ kind: 'fail', status: 400 });
		await run(deviceActions.rename!, { user: admin, ...at(kioskLX), form: { id, name: 'Quầy 8' } });
		expect(await lastAudit('device_renamed')).toMatchObject({
			target: id,
			detail: { from: 'Quầy 7', to: 'Quầy 8' }
		});

		const other = await touchpointAt(app, 'sipas-one-stop', 'AG.CD', 'kiosk');
		const elsewhere = await run(deviceActions.revoke!, { user: admin, ...at(other), form: { id } });
		expect(elsewhere).toMatchObject({ kind: 'fail', status: 404 });
		const revoked = await run(deviceActions.revoke!, { user: admin, ...at(kioskLX), form: { id } });
		expect(revoked).toMatchObject({ kind: 'redirect', status: 303 });
		expect(await lastAudit('device_revoked')).toMatchObject({ target: id });
		const [row] = await app.db.query<{ revoked: boolean }>(
			sql`select revoked_at is not null as revoked from devices where id = ${id}`
		);
		expect(row!.revoked).toBe(true);
	});
});

describe('what kiosks do when a respondent walks away', () => {
	const path = () => `/touchpoints/${kioskLX.code}/devices?/idle`;

	it('defaults to waiting 45 s and discarding; an admin changes it, audited', async () => {
		expect(await touchpoints.idleSettings(app.db, kioskLX.id)).toEqual({
			idleSeconds: 45,
			idlePolicy: 'discard'
		});
		const outcome = await run(deviceActions.idle!, {
			user: admin,
			path: path(),
			params: { code: kioskLX.code },
			form: { idleSeconds: '90', idlePolicy: 'submit' }
		});
		expect(outcome).toMatchObject({ kind: 'redirect', status: 303 });
		expect(await touchpoints.idleSettings(app.db, kioskLX.id)).toEqual({
			idleSeconds: 90,
			idlePolicy: 'submit'
		});
		expect(await lastAudit('touchpoint_changed')).toMatchObject({
			target: kioskLX.code,
			detail: {
				before: { idleSeconds: 45, idlePolicy: 'discard' },
				after: { idleSeconds: 90, idlePolicy: 'submit' }
			}
		});
	});

	it('refuses out-of-range values and unknown policies, changing nothing', async () => {
		const before = await touchpoints.idleSettings(app.db, kioskLX.id);
		for (const form of [
			{ idleSeconds: '5', idlePolicy: 'discard' },
			{ idleSeconds: '60', idlePolicy: 'keep' },
			{ idleSeconds: '1e9', idlePolicy: 'submit' }
		]) {
			const outcome = await run(deviceActions.idle!, {
				user: admin,
				path: path(),
				params: { code: kioskLX.code },
				form
			});
			expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
		}
		expect(await touchpoints.idleSettings(app.db, kioskLX.id)).toEqual(before);
	});
});
