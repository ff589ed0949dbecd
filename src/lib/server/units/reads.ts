import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { type Queryable, sql } from '../db';

export interface Unit {
	code: string;
	parentCode: string | null;
	kind: string;
	nameVi: string;
	nameEn: string;
}

/** A unit code: dot-separated upper-case segments, e.g. `AG.LX.BD`. Codes never change. */
export const unitCodePattern = /^[A-Z][A-Z0-9]*(\.[A-Z0-9]+)*$/;
export const unitCode = z.string().max(64).regex(unitCodePattern, 'mã đơn vị không hợp lệ');
const csvRow = z.object({
	code: unitCode,
	parent: z.union([unitCode, z.literal('')]),
	kind: z.string().min(1),
	name_vi: z.string().min(1),
	name_en: z.string().min(1)
});

/** Reads a unit list (code,parent,kind,name_vi,name_en); parents come before their children. */
export function readUnitsCsv(path: string): Unit[] {
	const records: unknown[] = parse(readFileSync(path), { columns: true, bom: true, trim: true });
	const seen = new Set<string>();
	return records.map((record, i) => {
		const row = csvRow.safeParse(record);
		if (!row.success) throw new Error(`${path}, row ${i + 2}: ${row.error.issues[0]?.message}`);
		const { code, parent, kind, name_vi, name_en } = row.data;
		if (parent && !seen.has(parent))
			throw new Error(`${path}, row ${i + 2}: unknown parent ${parent}`);
		seen.add(code);
		return { code, parentCode: parent || null, kind, nameVi: name_vi, nameEn: name_en };
	});
}

/** Adds units that are not there yet; existing ones are left as the administrators made them. */
export async function insertMissing(db: Queryable, units: Unit[]) {
	for (const u of units) {
		await db.query(sql`
			insert into units (code, parent_code, kind, name_vi, name_en)
			values (${u.code}, ${u.parentCode}, ${u.kind}, ${u.nameVi}, ${u.nameEn})
			on conflict (code) do nothing`);
	}
}

const select = sql`select code, parent_code as "parentCode", kind, name_vi as "nameVi", name_en as "nameEn" from units`;

export async function get(db: Queryable, code: string): Promise<Unit | undefined> {
	const [unit] = await db.query<Unit>(sql`${select} where code = ${code}`);
	return unit;
}

export async function children(db: Queryable, code: string): Promise<Unit[]> {
	return db.query<Unit>(sql`${select} where parent_code = ${code} order by kind, code`);
}

export async function list(db: Queryable): Promise<Unit[]> {
	return db.query<Unit>(sql`${select} order by code`);
}
