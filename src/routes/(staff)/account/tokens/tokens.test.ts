import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startStaffApp, staffUser } from '$tests/helpers/staff';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import { listApiTokens, userOfApiToken } from '$lib/server/auth';
import { actions as tokenActions, load as tokenLoad } from './+page.server';

let app: App;
let call: Awaited<ReturnType<typeof startStaffApp>>['call'];
let sessionOf: Awaited<ReturnType<typeof startStaffApp>>['sessionOf'];

beforeAll(async () => ({ app, sessionOf, call } = await startStaffApp()));
afterAll(() => app.db.close());

describe('API tokens', () => {
	it('creates a token shown once, lists it, and a revoked token no longer resolves', async () => {
		const analyst = await staffUser(app, 'analyst');
		const token = await sessionOf(analyst);
		const created = await call(
			tokenActions.create!,
			{ path: '/account/tokens?/create', form: { name: 'Power BI' } },
			token
		);
		expect(created.kind).toBe('ok');
		const secret = dataOf<{ created: { token: string } }>(created).created.token;
		expect(secret).toMatch(/^hl_/);
		expect((await userOfApiToken(app.db, secret))?.id).toBe(analyst.id);

		const page = await call(tokenLoad, { path: '/account/tokens' }, token);
		const listed = dataOf<{ tokens: { id: string; name: string }[] }>(page).tokens;
		expect(listed.map((t) => t.name)).toEqual(['Power BI']);
		expect(JSON.stringify(page)).not.toContain(secret);

		const revoked = await call(
			tokenActions.revoke!,
			{ path: '/account/tokens?/revoke', form: { id: listed[0]!.id } },
			token
		);
		expect(revoked.kind).toBe('ok');
		expect(await userOfApiToken(app.db, secret)).toBeNull();
		expect((await listApiTokens(app.db, analyst.id))[0]?.revokedAt).not.toBeNull();
		expect(
			(await listAudit(app.db, { action: 'token_created', actor: analyst.email })).length
		).toBe(1);
		expect(
			(await listAudit(app.db, { action: 'token_revoked', actor: analyst.email })).length
		).toBe(1);
	});

	it('refuses an empty name and cannot revoke another user’s token', async () => {
		const analyst = await staffUser(app, 'analyst');
		const other = await staffUser(app, 'analyst');
		const mine = await sessionOf(analyst);
		const theirs = await sessionOf(other);
		const empty = await call(
			tokenActions.create!,
			{ path: '/account/tokens?/create', form: { name: '  ' } },
			mine
		);
		expect(empty).toMatchObject({ kind: 'fail', status: 400 });
		expect(await listApiTokens(app.db, analyst.id)).toHaveLength(0);

		const created = await call(
			tokenActions.create!,
			{ path: '/account/tokens?/create', form: { name: 'R' } },
			theirs
		);
		const secret = dataOf<{ created: { token: string } }>(created).created.token;
		const [theirToken] = await listApiTokens(app.db, other.id);
		const attempt = await call(
			tokenActions.revoke!,
			{ path: '/account/tokens?/revoke', form: { id: theirToken!.id } },
			mine
		);
		expect(attempt).toMatchObject({ kind: 'fail', status: 400 });
		expect(await userOfApiToken(app.db, secret)).not.toBeNull();
	});

	it.each(['manager', 'clerk'] as const)('answers 404 to a %s', async (role) => {
		const user = await staffUser(app, role, 'AG.LX');
		const token = await sessionOf(user);
		const page = await call(tokenLoad, { path: '/account/tokens' }, token);
		const create = await call(
			tokenActions.create!,
			{ path: '/account/tokens?/create', form: { name: 'x' } },
			token
		);
		expect(page).toMatchObject({ kind: 'error', status: 404 });
		expect(create).toMatchObject({ kind: 'error', status: 404 });
		expect(await listApiTokens(app.db, user.id)).toHaveLength(0);
	});
});
