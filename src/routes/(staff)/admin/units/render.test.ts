import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startAdminApp } from '$tests/helpers/staff';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import * as unitsAdmin from '$lib/server/units';
import { actions, load } from './+page.server';
import Page from './+page.svelte';
import { load as unitLoad } from './[code]/+page.server';
import UnitPage from './[code]/+page.svelte';

let app: App;
let admin: SessionUser;
beforeAll(async () => ({ app, admin } = await startAdminApp()));
afterAll(() => app.db.close());

const data = async (handler: typeof load | typeof unitLoad, path: string, params = {}) => {
	const out = await run(handler, { path, params, user: admin });
	if (out.kind !== 'ok') throw new Error(out.kind);
	return out.data;
};

describe('the units pages render without JavaScript', () => {
	it('shows the tree as nested lists, with the inactive marker on a dissolved unit', async () => {
		const by = { actor: { id: admin.id, email: admin.email }, client: null };
		await unitsAdmin.deactivate(app.db, by, 'AG.LX.BD', { validTo: '2020-01-31' });
		const { body } = render(Page, {
			props: { data: (await data(load, '/admin/units')) as never, form: null }
		});
		expect(body).toMatch(/<li id="u-AG">[\s\S]*<ul[^>]*>[\s\S]*<li id="u-AG.LX">[\s\S]*<ul/);
		const ward = body.slice(body.indexOf('id="u-AG.LX.BD"'), body.indexOf('id="u-AG.LX.BK"'));
		expect(ward).toContain('đã giải thể');
		expect(body.slice(body.indexOf('id="u-AG.LX"'), body.indexOf('id="u-AG.LX.BD"'))).not.toContain(
			'đã giải thể'
		);
		expect(body).toContain('action="?/preview"');
	});

	it('shows an import preview with its confirm form, and errors linked to their field', async () => {
		const text = 'code,parent,kind,name_vi,name_en\nAG.NEW,AG,district,"<b>Huyện</b> Mới",New\n';
		const formData = new FormData();
		formData.set('file', new File([text], 'u.csv'));
		const preview = await run(actions.preview!, { path: '/admin/units', user: admin, formData });
		const { body } = render(Page, {
			props: {
				data: (await data(load, '/admin/units')) as never,
				form: (preview.kind === 'ok' ? preview.data : null) as never
			}
		});
		expect(body).toContain('action="?/import"');
		expect(body).toContain('&lt;b>Huyện&lt;/b> Mới');
		const bad = await run(actions.create!, {
			path: '/admin/units',
			user: admin,
			form: { parent: 'AG', code: 'bad', kind: 'district', nameVi: 'A', nameEn: 'A' }
		});
		const failed = render(Page, {
			props: {
				data: (await data(load, '/admin/units')) as never,
				form: (bad.kind === 'fail' ? bad.data : null) as never
			}
		}).body;
		expect(failed).toMatch(/aria-describedby="code-hint code-error"/);
		expect(failed).toContain('id="code-error"');
	});

	it('renders a unit page with its edit forms', async () => {
		const { body } = render(UnitPage, {
			props: {
				data: (await data(unitLoad, '/admin/units/AG.LX', { code: 'AG.LX' })) as never,
				form: null
			}
		});
		for (const action of ['rename', 'move', 'deactivate']) expect(body).toContain(`?/${action}`);
		// The move list leaves out the unit and its own subtree.
		expect(body).not.toContain('<option value="AG.LX.BD"');
		expect(body).toContain('<option value="AG.CD"');
	});
});
