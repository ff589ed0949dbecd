import { z } from 'zod';
import type { Indicator } from '$lib/survey/definition';
import { isIsoDate, type DateRange } from '$lib/survey/periods';
import { audit } from '../audit';
import { type Database, type Queryable, sql } from '../db';
import { type By, type Problems, problemsOf } from '../units';
import type { SurveyRegistry } from '../surveys';

/** A target set by an administrator for one indicator over a unit's subtree and a span of days. */
export interface TargetOverride {
	id: number;
	surveyId: string;
	indicatorId: string;
	unitCode: string;
	validFrom: string;
	validTo: string;
	target: number;
	createdBy: string | null;
	createdAt: string;
}

/** Every override of a survey, most specific listing first. */
export async function list(db: Queryable, surveyId: string): Promise<TargetOverride[]> {
	return db.query<TargetOverride>(sql`
		select id, survey_id as "surveyId", indicator_id as "indicatorId", unit_code as "unitCode",
			to_char(valid_from, 'YYYY-MM-DD') as "validFrom", to_char(valid_to, 'YYYY-MM-DD') as "validTo",
			target::float8 as target, created_by as "createdBy", created_at::text as "createdAt"
		from target_overrides where survey_id = ${surveyId}
		order by indicator_id, unit_code, valid_from desc, id desc`);
}

/**
 * The override that applies to an indicator for a unit and a date range, if any: the one on the
 * unit or its nearest ancestor (deepest wins) whose dates contain the whole range; among equally
 * deep ones the latest valid_from, then the latest set. `chain` is the unit first, then its
 * ancestors up to the root.
 */
export function pick(
	overrides: TargetOverride[],
	chain: string[],
	range: DateRange,
	indicatorId: string
): TargetOverride | undefined {
	let best: { o: TargetOverride; depth: number } | undefined;
	for (const o of overrides) {
		const depth = chain.indexOf(o.unitCode);
		if (o.indicatorId !== indicatorId || depth < 0) continue;
		if (o.validFrom > range.from || o.validTo < range.to) continue;
		if (
			!best ||
			depth < best.depth ||
			(depth === best.depth &&
				(o.validFrom > best.o.validFrom || (o.validFrom === best.o.validFrom && o.id > best.o.id)))
		) {
			best = { o, depth };
		}
	}
	return best?.o;
}

/** A `targetFor` for scoring: the applicable override, else the definition's target. */
export function resolver(overrides: TargetOverride[], chain: string[], range: DateRange) {
	return (indicator: Indicator): number | null =>
		pick(overrides, chain, range, indicator.id)?.target ?? indicator.target ?? null;
}

// "90" or "87,5" (Vietnamese decimal comma) → 0.9, 0.875; 1 to 100, one decimal at most.
const percent = z
	.string()
	.trim()
	.regex(/^\d{1,3}([.,]\d)?$/, 'target_invalid')
	.transform((s) => Number(s.replace(',', '.')))
	.refine((p) => p >= 1 && p <= 100, 'target_invalid')
	.transform((p) => Math.round(p * 10) / 1000);
const day = z.string().trim().refine(isIsoDate, 'date_invalid');
const newOverride = z
	.object({
		indicator: z.string().max(100),
		unit: z.string().trim().max(64),
		validFrom: day,
		validTo: day,
		target: percent
	})
	.refine((o) => o.validFrom <= o.validTo, { message: 'date_order', path: ['validTo'] });

/** Adds an override after checking the indicator belongs to the survey and the unit exists. */
export async function add(
	db: Database,
	surveys: SurveyRegistry,
	by: By,
	surveyId: string,
	input: Record<string, string>
): Promise<{ ok: true; id: number } | { ok: false; errors: Problems }> {
	const parsed = newOverride.safeParse(input);
	if (!parsed.success) return { ok: false, errors: problemsOf(parsed.error) };
	const o = parsed.data;
	const def = surveys.current(surveyId)?.definition;
	if (!def?.indicators.some((i) => i.id === o.indicator))
		return { ok: false, errors: { indicator: 'indicator_unknown' } };
	return db.transaction(async (tx) => {
		const [unit] = await tx.query(sql`select 1 from units where code = ${o.unit}`);
		if (!unit) return { ok: false, errors: { unit: 'unit_unknown' } } as const;
		const [row] = await tx.query<{ id: number }>(sql`
			insert into target_overrides (survey_id, indicator_id, unit_code, valid_from, valid_to, target, created_by)
			values (${surveyId}, ${o.indicator}, ${o.unit}, ${o.validFrom}::date, ${o.validTo}::date,
				${o.target}, ${by.actor.id})
			returning id`);
		await audit(tx, {
			...by,
			action: 'target_set',
			target: `${surveyId}/${o.indicator}@${o.unit}`,
			detail: { id: row!.id, validFrom: o.validFrom, validTo: o.validTo, target: o.target }
		});
		return { ok: true, id: row!.id } as const;
	});
}

/** Removes one override of a survey; false when there is no such override. */
export async function remove(db: Database, by: By, surveyId: string, id: number): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [gone] = await tx.query<Omit<TargetOverride, 'createdBy' | 'createdAt'>>(sql`
			delete from target_overrides where id = ${id} and survey_id = ${surveyId}
			returning id, indicator_id as "indicatorId", unit_code as "unitCode",
				to_char(valid_from, 'YYYY-MM-DD') as "validFrom", to_char(valid_to, 'YYYY-MM-DD') as "validTo",
				target::float8 as target`);
		if (!gone) return false;
		await audit(tx, {
			...by,
			action: 'target_removed',
			target: `${surveyId}/${gone.indicatorId}@${gone.unitCode}`,
			detail: { ...gone }
		});
		return true;
	});
}
