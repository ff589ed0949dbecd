import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startAdminApp, staffUser } from '$tests/helpers/staff';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import * as unitsAdmin from '$lib/server/units';
import { MAX_IMPORT_BYTES } from '$lib/server/units';
import { actions, load } from './+page.server';
import { actions as unitActions, load as unitLoad } from './[code]/+page.server';
import { GET as exportCsv } from './units.csv/+server';

let app: App;
let admin: SessionUser;
const snapshot = () => unitsAdmin.listRecords(app.db);

beforeAll(async () => ({ app, admin } = await startAdminApp()));
afterAll(() => app.db.close());

const csvFile = (text: string | Uint8Array<ArrayBuffer>, name = 'units.csv') => {
	const data = new FormData();
	data.set('file', new File([text], name, { type: 'text/csv' }));
	return data;
};

/** Every load, action and endpoint of the units pages, with a harmless valid input. */
const handlers = [
	['load /admin/units', load, { path: '/admin/units' }],
	[
		'create',
		actions.create!,
		{
			path: '/admin/units?/create',
			form: { parent: 'AG', code: 'AG.R1', kind: 'district', nameVi: 'A', nameEn: 'A' }
		}
	],
	[
		'preview',
		actions.preview!,
		{
			path: '/admin/units?/preview',
			formData: csvFile('code,parent,kind,name_vi,name_en\nAG.R2,AG,district,A,A')
		}
	],
	[
		'import',
		actions.import!,
		{
			path: '/admin/units?/import',
			formData: csvFile('code,parent,kind,name_vi,name_en\nAG.R3,AG,district,A,A')
		}
	],
	['load /admin/units/AG.LX', unitLoad, { path: '/admin/units/AG.LX', params: { code: 'AG.LX' } }],
	[
		'rename',
		unitActions.rename!,
		{
			path: '/admin/units/AG.LX?/rename',
			params: { code: 'AG.LX' },
			form: { nameVi: 'X', nameEn: 'X' }
		}
	],
	[
		'move',
		unitActions.move!,
		{ path: '/admin/units/AG.LX.BD?/move', params: { code: 'AG.LX.BD' }, form: { parent: 'AG.CD' } }
	],
	[
		'deactivate',
		unitActions.deactivate!,
		{
			path: '/admin/units/AG.LX?/deactivate',
			params: { code: 'AG.LX' },
			form: { validTo: '2025-06-30' }
		}
	],
	[
		'reactivate',
		unitActions.reactivate!,
		{ path: '/admin/units/AG.LX?/reactivate', params: { code: 'AG.LX' }, form: {} }
	],
	['GET units.csv', exportCsv, { path: '/admin/units/units.csv' }]
] as const;

describe('only administrators reach the units pages', () => {
	it.each(['analyst', 'manager', 'clerk'] as const)(
		'a %s gets 404 everywhere, changing nothing',
		async (role) => {
			const user = await staffUser(app, role, role === 'analyst' ? null : 'AG.LX');
			const before = await snapshot();
			for (const [name, handler, input] of handlers) {
				const out = await run(handler, { ...input, user });
				expect([name, out.kind, out.status]).toEqual([name, 'error', 404]);
			}
			expect(await snapshot()).toEqual(before);
			expect(await listAudit(app.db, { action: 'units_exported' })).toEqual([]);
		}
	);

	it('a visitor who is not signed in is sent to sign in', async () => {
		for (const [name, handler, input] of handlers) {
			const out = await run(handler, { ...input, user: null });
			expect([name, out.kind, out.status]).toEqual([name, 'redirect', 303]);
		}
	});
});

describe('the tree editor', () => {
	it('shows the tree nested by parent', async () => {
		const out = await run(load, { path: '/admin/units', user: admin });
		const tree = out.kind === 'ok' ? (out.data.tree as unitsAdmin.TreeNode[]) : [];
		expect(tree.map((u) => u.code)).toEqual(['AG']);
		const lx = tree[0]!.children.find((u) => u.code === 'AG.LX')!;
		expect(lx.children.map((u) => u.code)).toContain('AG.LX.BD');
	});

	it('adds a unit, redirects and audits; a bad one answers 400 with a message', async () => {
		const form = {
			parent: 'AG.LX',
			code: 'AG.LX.QZ',
			kind: 'commune',
			nameVi: 'Phường Mới',
			nameEn: 'New Ward'
		};
		const bad = await run(actions.create!, {
			path: '/admin/units',
			user: admin,
			form: { ...form, code: 'ag-lx' }
		});
		expect(bad).toMatchObject({
			kind: 'fail',
			status: 400,
			data: { errors: { code: expect.stringContaining('Mã') } }
		});
		expect(await unitsAdmin.getRecord(app.db, 'AG.LX.QZ')).toBeUndefined();
		const ok = await run(actions.create!, { path: '/admin/units', user: admin, form });
		expect(ok).toMatchObject({
			kind: 'redirect',
			status: 303,
			location: '/admin/units?saved=AG.LX.QZ'
		});
		expect(await listAudit(app.db, { action: 'unit_created' })).toEqual([
			expect.objectContaining({ actorEmail: admin.email, target: 'AG.LX.QZ', client: '192.0.2.10' })
		]);
	});

	it('refuses a move into the unit\u2019s own subtree with 400, and an unknown unit with 404', async () => {
		const before = await snapshot();
		const cycle = await run(unitActions.move!, {
			path: '/admin/units/AG.LX',
			params: { code: 'AG.LX' },
			user: admin,
			form: { parent: 'AG.LX.BD' }
		});
		expect(cycle).toMatchObject({ kind: 'fail', status: 400, data: { action: 'move' } });
		const unknown = await run(unitActions.rename!, {
			path: '/admin/units/AG.NOPE',
			params: { code: 'AG.NOPE' },
			user: admin,
			form: { nameVi: 'X', nameEn: 'X' }
		});
		expect([unknown.kind, unknown.status]).toEqual(['error', 404]);
		expect(await snapshot()).toEqual(before);
	});

	it('deactivates a unit and reactivates it', async () => {
		const path = '/admin/units/AG.LX.QZ';
		const params = { code: 'AG.LX.QZ' };
		const bad = await run(unitActions.deactivate!, {
			path,
			params,
			user: admin,
			form: { validTo: '30/06/2025' }
		});
		expect([bad.kind, bad.status]).toEqual(['fail', 400]);
		const off = await run(unitActions.deactivate!, {
			path,
			params,
			user: admin,
			form: { validTo: '2025-06-30' }
		});
		expect(off).toMatchObject({ kind: 'redirect', location: `${path}?saved` });
		expect((await unitsAdmin.getRecord(app.db, 'AG.LX.QZ'))!.validTo).toBe('2025-06-30');
		await run(unitActions.reactivate!, { path, params, user: admin, form: {} });
		expect((await unitsAdmin.getRecord(app.db, 'AG.LX.QZ'))!.validTo).toBeNull();
	});
});

describe('CSV export and import', () => {
	it('exports with a BOM, no-store, and audits the export', async () => {
		const out = await run(exportCsv, { path: '/admin/units/units.csv', user: admin });
		const response = out.kind === 'ok' ? (out.data.response as Response) : null;
		expect(response!.headers.get('cache-control')).toBe('no-store');
		expect(response!.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = new Uint8Array(await response!.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(await listAudit(app.db, { action: 'units_exported' })).toHaveLength(1);
	});

	it('previews an upload, then applies it from the confirm step', async () => {
		const text =
			'code,parent,kind,name_vi,name_en,valid_from,valid_to\nAG.NEW,AG,district,Huyện Mới,New District,2025-07-01,\n';
		const preview = await run(actions.preview!, {
			path: '/admin/units',
			user: admin,
			formData: csvFile(text)
		});
		expect(preview).toMatchObject({ kind: 'ok', data: { content: text, plan: { errors: [] } } });
		expect(await unitsAdmin.getRecord(app.db, 'AG.NEW')).toBeUndefined();
		const confirm = new FormData();
		confirm.set('content', text);
		const done = await run(actions.import!, {
			path: '/admin/units',
			user: admin,
			formData: confirm
		});
		expect(done).toMatchObject({ kind: 'ok', data: { imported: { created: 1, changed: 0 } } });
		expect(await unitsAdmin.getRecord(app.db, 'AG.NEW')).toMatchObject({ validFrom: '2025-07-01' });
		const [entry] = await listAudit(app.db, { action: 'units_imported' });
		expect(entry!.detail).toMatchObject({ created: 1, changed: 0 });
	});

	it('answers 400 for a bad row, an oversized file, a non-UTF-8 file or no file, changing nothing', async () => {
		const before = await snapshot();
		const badRow = await run(actions.import!, {
			path: '/admin/units',
			user: admin,
			formData: csvFile(
				'code,parent,kind,name_vi,name_en\nAG.B1,AG,district,A,A\nAG.B2,AG.NOPE,district,B,B'
			)
		});
		expect(badRow).toMatchObject({
			kind: 'fail',
			status: 400,
			data: { plan: { errors: [{ row: 3, column: 'parent' }] } }
		});
		const big = await run(actions.preview!, {
			path: '/admin/units',
			user: admin,
			formData: csvFile('x'.repeat(MAX_IMPORT_BYTES + 1))
		});
		expect(big).toMatchObject({
			kind: 'fail',
			status: 400,
			data: { errors: { file: expect.stringContaining('400 KB') } }
		});
		const latin1 = await run(actions.preview!, {
			path: '/admin/units',
			user: admin,
			formData: csvFile(new Uint8Array([0x63, 0x6f, 0xe9, 0x0a]))
		});
		expect(latin1).toMatchObject({
			kind: 'fail',
			status: 400,
			data: { errors: { file: expect.stringContaining('UTF-8') } }
		});
		const none = await run(actions.preview!, { path: '/admin/units', user: admin, form: {} });
		expect([none.kind, none.status]).toEqual(['fail', 400]);
		expect(await snapshot()).toEqual(before);
	});
});
