import { wholeMonths } from '$lib/survey/periods';
import { addPairSums, emptyCounts, type ScopeCounts } from '$lib/survey/scoring';
import type { Queryable } from '../db';
import type { SurveyRegistry } from '../surveys';
import type { Scope } from '../units';
import { mixedRows, rawRows, rollupState, type Read } from './count-rows';
import { pooledPlan } from './sums';
import type { ResultsQuery } from './types';

/** The counts of one group (a branch of the subtree, or a month) and, if asked, one channel. */
export interface CountCell {
	group: string;
	/** '' unless the read was by channel. */
	channel: string;
	counts: ScopeCounts;
}

/**
 * The counts behind a result, per group: from the monthly roll-ups for whole months that are
 * up to date, and from the raw responses for everything else (months with pending changes,
 * the partial months of a custom range, or a survey whose roll-ups are being rebuilt).
 * Flagged responses are left out unless the query asks for them, which always reads raw.
 */
export async function readCounts(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ResultsQuery,
	scope: Scope,
	{ direct = false, byChannel = false }: { direct?: boolean; byChannel?: boolean } = {}
): Promise<{ cells: CountCell[]; flagged: number }> {
	const def = surveys.current(query.surveyId)!.definition;
	const plan = pooledPlan(def, surveys.versions(query.surveyId));
	const read: Read = { query, scope, plan, byChannel };
	const months = !direct && !query.includeFlagged ? wholeMonths(query.range) : null;
	const state = months ? await rollupState(db, surveys, read) : null;
	const rows =
		months && state?.usable
			? await mixedRows(db, read, months, state.pending)
			: await rawRows(db, read);

	const cells = new Map<string, CountCell>();
	const countsFor = (group: string, channel: string) => {
		const key = `${group}\u0000${channel}`;
		let cell = cells.get(key);
		if (!cell) {
			cell = { group, channel, counts: emptyCounts() };
			cells.set(key, cell);
		}
		return cell.counts;
	};
	for (const row of rows.distribution) {
		const questionId = surveys.byVersionId(row.v)?.scaleQuestions[row.pos - 1];
		if (!questionId) continue;
		const counts = countsFor(row.g, row.c);
		const d = counts.distributions.get(questionId) ?? {};
		const value = row.value === 0 ? 'NA' : String(row.value);
		d[value] = (d[value] ?? 0) + row.n;
		counts.distributions.set(questionId, d);
	}
	let flagged = 0;
	for (const row of rows.responses) {
		const c = countsFor(String(row.g), String(row.c));
		c.responses += Number(row.responses);
		flagged += Number(row.flagged);
		plan.slots.forEach(({ indicator, sum }, j) => {
			const id = plan.indicators[indicator]!.id;
			const people = c.people.get(id) ?? { n: 0, ss: 0, sm: 0, mm: 0 };
			people[sum] += Number(row[`x${j}`] ?? 0);
			c.people.set(id, people);
		});
	}
	for (const row of rows.pairs) {
		const id = plan.indicators[row.ind]?.id;
		if (id === undefined) continue;
		const pairs = countsFor(row.g, row.c).pairs;
		const own = pairs.get(id);
		if (own) addPairSums(own, row.sums);
		else pairs.set(id, row.sums);
	}
	return { cells: [...cells.values()], flagged };
}
