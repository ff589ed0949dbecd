import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { audit } from '../audit';
import { type Database, type Queryable, sql } from '../db';
import {
	lockUnitTree,
	buildTree,
	codeField,
	diff,
	listRecords,
	optionalDate,
	unitKind,
	unitName,
	type By,
	type TreeNode,
	type UnitRecord
} from './admin';
import { neutralise, restore } from '../exports';

export const columns = ['code', 'parent', 'kind', 'name_vi', 'name_en', 'valid_from', 'valid_to'];
const required = columns.slice(0, 5);

/** Below adapter-node's default BODY_SIZE_LIMIT (512K), so the app, not the server, answers. */
export const MAX_IMPORT_BYTES = 400 * 1024;

/** Parents before children, so the file also reads as a seed list. */
function depthFirst(nodes: TreeNode[]): UnitRecord[] {
	return nodes.flatMap(({ children, ...unit }) => [unit, ...depthFirst(children)]);
}

/** The whole unit list as CSV: UTF-8 with BOM (Excel), RFC 4180, formula cells neutralised. */
export function toCsv(records: UnitRecord[]): string {
	const rows = depthFirst(buildTree(records)).map((u) =>
		[
			u.code,
			u.parentCode ?? '',
			u.kind,
			u.nameVi,
			u.nameEn,
			u.validFrom ?? '',
			u.validTo ?? ''
		].map(neutralise)
	);
	return stringify(rows, { header: true, columns, bom: true, record_delimiter: 'windows' });
}

export async function exportCsv(db: Queryable): Promise<{ csv: string; count: number }> {
	const records = await listRecords(db);
	return { csv: toCsv(records), count: records.length };
}

export interface ImportProblem {
	/** Spreadsheet row: the header is row 1. */
	row: number;
	column: string | null;
	/** Message key under `units.errors`. */
	key: string;
}

export interface ImportPlan {
	created: UnitRecord[];
	changed: { before: UnitRecord; after: UnitRecord }[];
	unchanged: number;
	errors: ImportProblem[];
}

const csvRow = z
	.object({
		code: codeField,
		parent: z.union([z.literal(''), codeField]),
		kind: unitKind,
		name_vi: unitName,
		name_en: unitName,
		valid_from: optionalDate,
		valid_to: optionalDate
	})
	.refine((r) => !r.valid_from || !r.valid_to || r.valid_from <= r.valid_to, {
		message: 'date_order',
		path: ['valid_to']
	});

function readRecords(
	content: string
): { records: Record<string, string>[]; header: string[] } | ImportProblem {
	try {
		let header: string[] = [];
		const records: Record<string, string>[] = parse(content, {
			bom: true,
			skip_empty_lines: true,
			columns: (names: string[]) => (header = names.map((n) => n.trim())),
			cast: (value) => restore(value)
		});
		const unknown = header.filter((h) => !columns.includes(h));
		if (required.some((c) => !header.includes(c)) || unknown.length)
			return { row: 1, column: null, key: 'header_invalid' };
		return { records, header };
	} catch (e) {
		const lines = (e as { lines?: number }).lines;
		return { row: typeof lines === 'number' ? lines : 1, column: null, key: 'csv_malformed' };
	}
}

/**
 * Reads an uploaded unit list and works out what it would change, without changing anything:
 * new units, changed ones, and every problem with its row. Units absent from the file stay as
 * they are (units are never deleted).
 */
export async function planImport(db: Queryable, content: string): Promise<ImportPlan> {
	const plan: ImportPlan = { created: [], changed: [], unchanged: 0, errors: [] };
	const read = readRecords(content);
	if (!('records' in read)) return { ...plan, errors: [read] };
	if (read.records.length === 0)
		return { ...plan, errors: [{ row: 2, column: null, key: 'empty' }] };

	const existing = new Map((await listRecords(db)).map((u) => [u.code, u]));
	const wanted = new Map<string, { row: number; unit: UnitRecord }>();
	read.records.forEach((record, i) => {
		const row = i + 2;
		const parsed = csvRow.safeParse(record);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const key = /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid';
				plan.errors.push({ row, column: String(issue.path[0] ?? ''), key });
			}
			return;
		}
		const r = parsed.data;
		if (wanted.has(r.code)) {
			plan.errors.push({ row, column: 'code', key: 'code_duplicate' });
			return;
		}
		const unit = {
			code: r.code,
			parentCode: r.parent || null,
			kind: r.kind,
			nameVi: r.name_vi,
			nameEn: r.name_en,
			// A list without the date columns (the seed format) leaves the dates as they are: an
			// absent column must not reopen abolished units.
			validFrom: read.header.includes('valid_from')
				? r.valid_from
				: (existing.get(r.code)?.validFrom ?? null),
			validTo: read.header.includes('valid_to')
				? r.valid_to
				: (existing.get(r.code)?.validTo ?? null)
		};
		wanted.set(r.code, { row, unit });
	});

	const parentOf = (code: string) =>
		wanted.has(code) ? wanted.get(code)!.unit.parentCode : (existing.get(code)?.parentCode ?? null);
	for (const { row, unit } of wanted.values()) {
		if (unit.parentCode && !wanted.has(unit.parentCode) && !existing.has(unit.parentCode)) {
			plan.errors.push({ row, column: 'parent', key: 'parent_unknown' });
			continue;
		}
		const seen = new Set<string>();
		for (let p = unit.parentCode; p !== null && !seen.has(p); p = parentOf(p)) {
			if (p === unit.code) {
				plan.errors.push({ row, column: 'parent', key: 'cycle' });
				break;
			}
			seen.add(p);
		}
		const before = existing.get(unit.code);
		if (!before) plan.created.push(unit);
		else if (Object.keys(diff(before, unit).before).length)
			plan.changed.push({ before, after: unit });
		else plan.unchanged++;
	}
	plan.errors.sort((a, b) => a.row - b.row);
	return plan;
}

/**
 * Applies an import in one transaction after checking it again there: any problem and nothing
 * changes. Each created or changed unit is audited, then the import as a whole.
 */
export async function applyImport(db: Database, by: By, content: string): Promise<ImportPlan> {
	return db.transaction(async (tx) => {
		await lockUnitTree(tx);
		const plan = await planImport(tx, content);
		if (plan.errors.length) return plan;
		const pending = new Set(plan.created.map((u) => u.code));
		let queue = plan.created;
		while (queue.length) {
			// Insert a new unit only once its new parent (if any) is in.
			const ready = queue.filter((u) => !u.parentCode || !pending.has(u.parentCode));
			for (const u of ready) {
				await tx.query(sql`
					insert into units (code, parent_code, kind, name_vi, name_en, valid_from, valid_to)
					values (${u.code}, ${u.parentCode}, ${u.kind}, ${u.nameVi}, ${u.nameEn},
						${u.validFrom}::date, ${u.validTo}::date)`);
				pending.delete(u.code);
				await audit(tx, {
					...by,
					action: 'unit_created',
					target: u.code,
					detail: { after: u, via: 'import' }
				});
			}
			queue = queue.filter((u) => pending.has(u.code));
		}
		for (const { before, after: u } of plan.changed) {
			await tx.query(sql`
				update units set parent_code = ${u.parentCode}, kind = ${u.kind}, name_vi = ${u.nameVi},
					name_en = ${u.nameEn}, valid_from = ${u.validFrom}::date, valid_to = ${u.validTo}::date
				where code = ${u.code}`);
			await audit(tx, {
				...by,
				action: 'unit_changed',
				target: u.code,
				detail: { ...diff(before, u), via: 'import' }
			});
		}
		await audit(tx, {
			...by,
			action: 'units_imported',
			detail: {
				created: plan.created.length,
				changed: plan.changed.length,
				unchanged: plan.unchanged
			}
		});
		return plan;
	});
}
