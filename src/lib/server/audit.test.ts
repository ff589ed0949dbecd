import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from './app';
import { audit, listAudit } from './audit';
import { sql } from './db';

let app: App;
beforeAll(async () => {
	app = await startTestApp();
});
afterAll(() => app.db.close());

const actor = { id: 'u1', email: 'an@sonoivu.angiang.gov.vn' };

describe('the audit log', () => {
	it('records an act with its actor, target, detail and client', async () => {
		await audit(app.db, {
			actor,
			action: 'user_created',
			target: 'user:u2',
			detail: { role: 'clerk', note: 'Hoà\u202eevil' },
			client: '192.0.2.1'
		});
		const [entry] = await listAudit(app.db, { action: 'user_created' });
		expect(entry).toMatchObject({
			actorId: 'u1',
			actorEmail: actor.email,
			action: 'user_created',
			target: 'user:u2',
			detail: { role: 'clerk', note: 'Hoà\u202eevil' },
			client: '192.0.2.1'
		});
	});

	it('cannot be changed or deleted, even with SQL', async () => {
		await audit(app.db, { actor, action: 'export', target: 'responses.csv' });
		await expect(app.db.query(sql`update audit_log set action = 'sign_in'`)).rejects.toThrow(
			/append-only/
		);
		await expect(app.db.query(sql`delete from audit_log`)).rejects.toThrow(/append-only/);
		expect((await listAudit(app.db, { action: 'export' })).length).toBe(1);
	});

	it('filters by action and actor, newest first, and pages back by id', async () => {
		for (let i = 0; i < 5; i++) {
			await audit(app.db, { actor, action: 'token_created', target: `token:${i}` });
		}
		await audit(app.db, {
			actor: { id: 'u9', email: 'other@x.vn' },
			action: 'token_created',
			target: 'token:other'
		});
		const mine = await listAudit(app.db, {
			action: 'token_created',
			actor: 'AN@sonoivu.angiang.gov.vn'
		});
		expect(mine.map((e) => e.target)).toEqual([
			'token:4',
			'token:3',
			'token:2',
			'token:1',
			'token:0'
		]);
		const page = await listAudit(app.db, { action: 'token_created', limit: 2 });
		const next = await listAudit(app.db, {
			action: 'token_created',
			limit: 2,
			before: Number(page[1]!.id)
		});
		expect(next.map((e) => e.target)).toEqual(['token:3', 'token:2']);
	});

	it('reads dates as days in Viet Nam: 17:30 UTC on 31 March is already 1 April there', async () => {
		await app.db.query(sql`
			insert into audit_log (at, action, target) values
				('2026-03-31T16:59:59Z', 'units_exported', 'march'),
				('2026-03-31T17:30:00Z', 'units_exported', 'april')`);
		const april = await listAudit(app.db, { action: 'units_exported', from: '2026-04-01' });
		expect(april.map((e) => e.target)).toEqual(['april']);
		const march = await listAudit(app.db, { action: 'units_exported', to: '2026-03-31' });
		expect(march.map((e) => e.target)).toEqual(['march']);
	});
});
