import { isIsoDate, localDate, parsePeriod, quarterOf, type DateRange } from '$lib/survey/periods';
import type { Queryable } from '../db';
import type { SurveyRegistry } from '../surveys';
import { isUnitCode } from '../auth';
import type { GroupBy, ResultsQuery } from './types';
import * as units from '../units';

export type QueryProblem = { status: 400 | 404; path: string; message: string };

const groupings = new Set<GroupBy>(['unit', 'month', 'quarter']);

/**
 * The period of a query string: `period` (2018-07, 2018-Q3, 2018-H2, 2018) or `from` + `to`
 * (dates, both inclusive); with neither, the current quarter in Viet Nam. Null when invalid.
 */
export function rangeFromParams(params: URLSearchParams): DateRange | null {
	const period = params.get('period');
	const from = params.get('from');
	const to = params.get('to');
	if (period) return from || to ? null : parsePeriod(period);
	if (from || to) {
		return from && to && isIsoDate(from) && isIsoDate(to) && from <= to ? { from, to } : null;
	}
	return parsePeriod(quarterOf(localDate(new Date())));
}

/**
 * Reads `survey`, `unit`, `period` or `from`+`to`, and `groupBy` from a query string. With no
 * period at all, the current quarter in Viet Nam is meant. A caller that has read the unit list
 * already passes it as `known`, and the unit is looked up there.
 */
export async function parseResultsQuery(
	app: { db: Queryable; surveys: SurveyRegistry },
	params: URLSearchParams,
	known?: readonly { code: string }[]
): Promise<{ ok: true; query: ResultsQuery } | { ok: false; problem: QueryProblem }> {
	const fail = (status: 400 | 404, path: string, message: string) =>
		({ ok: false, problem: { status, path, message } }) as const;
	const surveyId = params.get('survey');
	if (!surveyId) return fail(400, 'survey', 'errors.survey_required');
	if (!app.surveys.current(surveyId)) return fail(404, 'survey', 'errors.survey_unknown');
	const unitCode = params.get('unit') || 'AG';
	const exists = async () =>
		known
			? known.some((u) => u.code === unitCode)
			: (await units.get(app.db, unitCode)) !== undefined;
	if (!isUnitCode(unitCode) || !(await exists())) return fail(404, 'unit', 'errors.unit_unknown');

	const range = rangeFromParams(params);
	if (!range) return fail(400, 'period', 'errors.period_invalid');

	const groupBy = params.get('groupBy');
	if (groupBy !== null && !groupings.has(groupBy as GroupBy)) {
		return fail(400, 'groupBy', 'errors.group_by_invalid');
	}
	return {
		ok: true,
		query: {
			surveyId,
			unitCode,
			range,
			groupBy: (groupBy as GroupBy | null) ?? undefined,
			includeFlagged: params.get('includeFlagged') === 'true'
		}
	};
}
