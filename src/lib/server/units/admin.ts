import { z } from 'zod';
import { isIsoDate } from '$lib/survey/periods';
import { audit, type Actor } from '../audit';
import { type Database, type Queryable, sql } from '../db';
import { unitCodePattern, type Unit } from './reads';
import { subtreeCodes } from './tree';
import { disguisingInLine } from '$lib/survey/text';

/** A unit with the dates it existed; codes never change and units are never deleted. */
export interface UnitRecord extends Unit {
	validFrom: string | null;
	validTo: string | null;
}

/** Who acts, for the audit log. */
export interface By {
	actor: Actor;
	client: string | null;
}

/** Field → message key under the `units.errors` namespace. */
export type Problems = Record<string, string>;
export type Outcome = { ok: true } | { ok: false; errors: Problems };

export const unitName = z
	.string()
	.transform((s) => s.normalize('NFC').trim())
	.pipe(
		z
			.string()
			.min(1, 'name_required')
			.max(200, 'name_long')
			.refine((s) => !disguisingInLine.test(s), 'name_chars')
	);
export const unitKind = z
	.string()
	.trim()
	.regex(/^[a-z][a-z_]{0,39}$/, 'kind_invalid');
/** A date written YYYY-MM-DD, or nothing (an absent or empty field) → null. */
export const optionalDate = z.preprocess(
	(v) => v ?? '',
	z
		.string()
		.trim()
		.refine((s) => s === '' || isIsoDate(s), 'date_invalid')
		.transform((s) => s || null)
);
export const codeField = z
	.string()
	.trim()
	.max(64, 'code_invalid')
	.regex(unitCodePattern, 'code_invalid');

const names = z.object({ nameVi: unitName, nameEn: unitName });
const newUnit = names.extend({
	code: codeField,
	parent: codeField,
	kind: unitKind,
	validFrom: optionalDate
});

/** Zod issues as field → message key; the first problem of each field is enough to act on. */
export function problemsOf(error: z.ZodError): Problems {
	const out: Problems = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		if (!out[field]) out[field] = /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid';
	}
	return out;
}

const select = sql`select code, parent_code as "parentCode", kind, name_vi as "nameVi",
	name_en as "nameEn", to_char(valid_from, 'YYYY-MM-DD') as "validFrom",
	to_char(valid_to, 'YYYY-MM-DD') as "validTo" from units`;

/** Every unit with its dates, by code. */
export async function listRecords(db: Queryable): Promise<UnitRecord[]> {
	return db.query<UnitRecord>(sql`${select} order by code`);
}

export async function getRecord(db: Queryable, unit: string): Promise<UnitRecord | undefined> {
	const [row] = await db.query<UnitRecord>(sql`${select} where code = ${unit}`);
	return row;
}

/** Adds a unit under an existing parent. */
export async function create(
	db: Database,
	by: By,
	input: Record<string, string>
): Promise<Outcome> {
	const parsed = newUnit.safeParse(input);
	if (!parsed.success) return { ok: false, errors: problemsOf(parsed.error) };
	const u = parsed.data;
	return db.transaction(async (tx): Promise<Outcome> => {
		if (await getRecord(tx, u.code)) return { ok: false, errors: { code: 'code_taken' } };
		if (!(await getRecord(tx, u.parent)))
			return { ok: false, errors: { parent: 'parent_unknown' } };
		await tx.query(sql`
			insert into units (code, parent_code, kind, name_vi, name_en, valid_from)
			values (${u.code}, ${u.parent}, ${u.kind}, ${u.nameVi}, ${u.nameEn}, ${u.validFrom}::date)`);
		const after = await getRecord(tx, u.code);
		await audit(tx, { ...by, action: 'unit_created', target: u.code, detail: { after } });
		return { ok: true };
	});
}

/**
 * Applies a change to one unit in a transaction and audits what changed, before and after.
 * `check` sees the current record and may refuse the change.
 */
async function change(
	db: Database,
	by: By,
	unit: string,
	check: (tx: Queryable, before: UnitRecord) => Promise<Problems | null>,
	write: (tx: Queryable) => Promise<unknown>
): Promise<Outcome> {
	return db.transaction(async (tx) => {
		const before = await getRecord(tx, unit);
		if (!before) return { ok: false, errors: { form: 'unit_unknown' } };
		const problems = await check(tx, before);
		if (problems) return { ok: false, errors: problems };
		await write(tx);
		const after = (await getRecord(tx, unit))!;
		const changed = diff(before, after);
		if (Object.keys(changed.before).length) {
			await audit(tx, { ...by, action: 'unit_changed', target: unit, detail: changed });
		}
		return { ok: true };
	});
}

/** The fields that differ, as `{before: {...}, after: {...}}`. */
export function diff(before: UnitRecord, after: UnitRecord) {
	const out = { before: {} as Partial<UnitRecord>, after: {} as Partial<UnitRecord> };
	for (const key of Object.keys(after) as (keyof UnitRecord)[]) {
		if (before[key] !== after[key]) {
			Object.assign(out.before, { [key]: before[key] });
			Object.assign(out.after, { [key]: after[key] });
		}
	}
	return out;
}

/** New Vietnamese and English names; the code stays. */
export async function rename(db: Database, by: By, unit: string, input: Record<string, string>) {
	const parsed = names.safeParse(input);
	if (!parsed.success) return { ok: false, errors: problemsOf(parsed.error) } as const;
	const { nameVi, nameEn } = parsed.data;
	return change(
		db,
		by,
		unit,
		async () => null,
		(tx) =>
			tx.query(sql`update units set name_vi = ${nameVi}, name_en = ${nameEn} where code = ${unit}`)
	);
}

/** Moves a unit (with its subtree) under another parent; never under itself or below itself. */
export async function move(db: Database, by: By, unit: string, input: Record<string, string>) {
	const parsed = z.object({ parent: codeField }).safeParse(input);
	if (!parsed.success) return { ok: false, errors: problemsOf(parsed.error) } as const;
	const { parent } = parsed.data;
	return change(
		db,
		by,
		unit,
		async (tx) => {
			// Two moves checked at once could each pass and make a cycle together: one at a time.
			await lockUnitTree(tx);
			if (!(await getRecord(tx, parent))) return { parent: 'parent_unknown' };
			if ((await subtreeCodes(tx, unit)).has(parent)) return { parent: 'cycle' };
			return null;
		},
		(tx) => tx.query(sql`update units set parent_code = ${parent} where code = ${unit}`)
	);
}

/** Serialises changes to the tree's shape until the transaction ends; reads go on. */
export async function lockUnitTree(tx: Queryable) {
	await tx.query(sql`lock table units in share row exclusive mode`);
}

/** Marks the last day a unit existed (a merger, an abolished district); its history stays. */
export async function deactivate(
	db: Database,
	by: By,
	unit: string,
	input: Record<string, string>
) {
	const parsed = z
		.object({ validTo: optionalDate.refine((d) => d !== null, 'date_required') })
		.safeParse(input);
	if (!parsed.success) return { ok: false, errors: problemsOf(parsed.error) } as const;
	const validTo = parsed.data.validTo!;
	return change(
		db,
		by,
		unit,
		async (_, before) =>
			before.validFrom && before.validFrom > validTo ? { validTo: 'date_order' } : null,
		(tx) => tx.query(sql`update units set valid_to = ${validTo}::date where code = ${unit}`)
	);
}

/** Undoes a deactivation: the unit exists again with no end date. */
export async function reactivate(db: Database, by: By, unit: string) {
	return change(
		db,
		by,
		unit,
		async () => null,
		(tx) => tx.query(sql`update units set valid_to = null where code = ${unit}`)
	);
}

export interface TreeNode extends UnitRecord {
	children: TreeNode[];
}

/** Nests a flat list by parent links; a unit whose parent is missing becomes a root. */
export function buildTree(records: UnitRecord[]): TreeNode[] {
	const nodes = new Map(records.map((r) => [r.code, { ...r, children: [] as TreeNode[] }]));
	const roots: TreeNode[] = [];
	for (const node of nodes.values()) {
		const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
		(parent ? parent.children : roots).push(node);
	}
	return roots;
}
