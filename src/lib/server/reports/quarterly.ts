import { parsePeriod, type DateRange } from '$lib/survey/periods';
import type { IndicatorResult } from '$lib/survey/scoring';
import type { App } from '../app';
import { SMALL_N } from '../results';
import { sql } from '../db';
import * as followUp from '../follow-up';
import * as results from '../results';
import * as units from '../units';

/** `2026-Q3`: the only shape of a report's name. */
export const quarterPattern = /^(\d{4})-Q([1-4])$/;

export interface ReportUnitRow {
	code: string;
	name: string;
	responses: number;
	indicators: IndicatorResult[];
	/** Under SMALL_N valid answers on the first headline indicator: read with care. */
	small: boolean;
}

export interface ReportSurvey {
	id: string;
	title: string;
	responses: number;
	/** Left out of every figure: suspected duplicates and unfinished kiosk answers. */
	excluded: number;
	labels: Record<string, string>;
	/** Every indicator for the whole report unit. */
	overall: IndicatorResult[];
	/** The indicators the plan sets a target for (else the first): the per-unit tables. */
	headline: string[];
	/**
	 * Direct children with answers, by kind (department, district, …), each pooled over its
	 * subtree; `silent` names those of the kind without a single response in the quarter.
	 */
	groups: { kind: string; rows: ReportUnitRow[]; silent: string[] }[];
	/** Units whose verdict on a headline indicator is not met or not yet decided. */
	attention: { code: string; name: string; indicator: string; result: IndicatorResult }[];
}

export interface QuarterlyReport {
	quarter: string;
	year: number;
	number: number;
	range: DateRange;
	unit: { code: string; name: string };
	responses: number;
	byChannel: Record<string, number>;
	surveys: ReportSurvey[];
	followUp: { opened: number; resolved: number; resolvedInTime: number; overdue: number };
	dueDays: number;
	smallN: number;
}

/**
 * The quarterly report to the Ministry of Home Affairs for a unit's subtree: the same figures as
 * /api/v1/results (every count pooled, never averaged), for each survey answered in the quarter.
 */
export async function build(
	app: App,
	quarter: string,
	unitCode: string,
	locale: 'vi' | 'en' = 'vi'
): Promise<QuarterlyReport | null> {
	const match = quarterPattern.exec(quarter);
	const range = match ? parsePeriod(quarter) : null;
	const unit = await units.get(app.db, unitCode);
	if (!match || !range || !unit) return null;
	const name = (u: units.Unit) => (locale === 'en' ? u.nameEn : u.nameVi);
	const children = await units.children(app.db, unitCode);
	const byCode = new Map(children.map((u) => [u.code, u]));

	const counts = await app.db.query<{ survey: string; channel: string; n: number }>(sql`
		${units.subtree(unitCode)}
		select r.survey_id as survey, r.channel, count(*)::int as n
		from responses r join sub on sub.code = r.unit_code
		where r.local_date between ${range.from}::date and ${range.to}::date and r.flag is null
		group by 1, 2`);
	const answered = new Set(counts.map((c) => c.survey));
	const byChannel: Record<string, number> = {};
	for (const c of counts) byChannel[c.channel] = (byChannel[c.channel] ?? 0) + c.n;

	const surveys: ReportSurvey[] = [];
	for (const version of app.surveys.list()) {
		const def = version.definition;
		if (!answered.has(def.id)) continue;
		const found = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: def.id, unitCode, range, groupBy: 'unit' },
			{ full: true }
		);
		const targeted = def.indicators.filter((i) => i.target !== undefined).map((i) => i.id);
		const headline = targeted.length ? targeted : def.indicators.slice(0, 1).map((i) => i.id);
		const rows = (found.groups ?? [])
			.filter((g) => byCode.has(g.key))
			.map((g) => {
				const indicators = headline.map((id) => g.indicators.find((i) => i.id === id)!);
				const first = indicators[0];
				return {
					code: g.key,
					name: name(byCode.get(g.key)!),
					responses: g.responses,
					indicators,
					small: !!first && first.n > 0 && first.n < SMALL_N
				};
			});
		const kinds = [...new Set(children.map((u) => u.kind))];
		surveys.push({
			id: def.id,
			title: def.title[locale],
			responses: found.responses,
			excluded: found.excluded,
			labels: Object.fromEntries(def.indicators.map((i) => [i.id, i.label[locale]])),
			overall: found.indicators,
			headline,
			groups: kinds.map((kind) => {
				const ofKind = rows
					.filter((r) => byCode.get(r.code)!.kind === kind)
					.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
				return {
					kind,
					rows: ofKind.filter((r) => r.responses > 0),
					silent: children
						.filter(
							(u) => u.kind === kind && !ofKind.some((r) => r.code === u.code && r.responses > 0)
						)
						.map(name)
						.sort((a, b) => a.localeCompare(b, 'vi'))
				};
			}),
			attention: rows.flatMap((r) =>
				r.indicators
					.filter((i) => i.status === 'not_met' || i.status === 'inconclusive')
					.map((i) => ({ code: r.code, name: r.name, indicator: i.id, result: i }))
			)
		});
	}

	const dueDays = app.config.FOLLOW_UP_DAYS;
	const cases = await followUp.resolution(app.db, unitCode, range, dueDays);
	const sum = (key: 'opened' | 'resolved' | 'resolvedInTime' | 'overdue') =>
		cases.reduce((s, r) => s + r[key], 0);
	return {
		quarter,
		year: Number(match[1]),
		number: Number(match[2]),
		range,
		unit: { code: unit.code, name: name(unit) },
		responses: counts.reduce((s, c) => s + c.n, 0),
		byChannel,
		surveys,
		followUp: {
			opened: sum('opened'),
			resolved: sum('resolved'),
			resolvedInTime: sum('resolvedInTime'),
			overdue: sum('overdue')
		},
		dueDays,
		smallN: SMALL_N
	};
}
