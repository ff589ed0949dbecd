import { type Queryable, sql, type Statement } from '../db';
import type { Place, UnitNames } from '$lib/place';
import type { Unit } from './reads';

// Every walk of the unit tree follows parent links, never code prefixes: a unit moved in a
// reorganisation keeps its code. The downward walks use `union`, so they end even on a cycle.

/**
 * `with recursive sub(code, branch)`: the unit and every unit below it, for a query to join on.
 * `branch` is the child of the unit that a row lies under (null for the unit itself).
 */
export function subtree(code: string): Statement {
	return sql`with recursive sub(code, branch) as (
		select code, null::text from units where code = ${code}
		union
		select u.code, coalesce(sub.branch, u.code) from units u join sub on u.parent_code = sub.code)`;
}

/** The codes of the unit and of every unit below it. */
export async function subtreeCodes(db: Queryable, code: string): Promise<Set<string>> {
	const rows = await db.query<{ code: string }>(sql`${subtree(code)} select code from sub`);
	return new Set(rows.map((r) => r.code));
}

/** A subtree as lists: every unit with its branch ('' for the unit itself), and its children. */
export interface Scope {
	codes: string[];
	branches: string[];
	/** The unit's direct children, by kind and code. */
	children: string[];
}

export async function scopeOf(db: Queryable, code: string): Promise<Scope> {
	const rows = await db.query<{ code: string; branch: string | null }>(sql`
		${subtree(code)}
		select sub.code, sub.branch from sub join units u on u.code = sub.code
		order by u.kind, sub.code`);
	return {
		codes: rows.map((r) => r.code),
		branches: rows.map((r) => r.branch ?? ''),
		children: rows.filter((r) => r.branch === r.code).map((r) => r.code)
	};
}

/** Whether a unit is `root` or lies anywhere below it. */
export async function isWithin(db: Queryable, unitCode: string, root: string): Promise<boolean> {
	const [row] = await db.query<{ ok: boolean }>(sql`
		with recursive up as (
			select code, parent_code from units where code = ${unitCode}
			union
			select u.code, u.parent_code from units u join up on u.code = up.parent_code)
		select exists (select 1 from up where code = ${root}) as ok`);
	return row?.ok ?? false;
}

/** The unit and its ancestors, root first: the breadcrumb. */
export async function ancestry(db: Queryable, code: string): Promise<Unit[]> {
	const rows = await db.query<Unit & { depth: number }>(sql`
		with recursive up as (
			select code, parent_code, kind, name_vi, name_en, 0 as depth from units where code = ${code}
			union all
			select u.code, u.parent_code, u.kind, u.name_vi, u.name_en, up.depth + 1
			from units u join up on u.code = up.parent_code)
		select code, parent_code as "parentCode", kind, name_vi as "nameVi", name_en as "nameEn", depth
		from up order by depth desc`);
	return rows.map(({ depth: _, ...u }) => u);
}

/** The root of a unit's tree (its province): stored with each response for later sharding. */
export async function rootOf(db: Queryable, code: string): Promise<string | undefined> {
	return (await ancestry(db, code))[0]?.code;
}

/** The office a touchpoint stands in and its province, for the citizen's screens. */
export async function placeOf(db: Queryable, code: string): Promise<Place | undefined> {
	const chain = await ancestry(db, code);
	const office = chain.at(-1);
	const root = chain[0];
	if (!office || !root) return undefined;
	const names = (u: Unit): UnitNames => ({ vi: u.nameVi, en: u.nameEn });
	return { office: names(office), province: root.code === office.code ? null : names(root) };
}
