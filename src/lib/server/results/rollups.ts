import {
	type Database,
	type Queryable,
	empty,
	json,
	sql,
	type Statement,
	tidyRollups
} from '../db';
import { log } from '../log';
import type { SurveyRegistry } from '../surveys';
import { addPattern, emptyPairs, planSignature, pooledPlan } from './sums';

/**
 * Monthly roll-ups of the results per unit and channel (migration 0008). Writes to responses only mark months as
 * pending (a trigger); `refresh` recomputes pending months from the raw responses; the results
 * query reads roll-ups only for months with nothing pending. Exact by construction: a month is
 * either read raw or from a roll-up computed after its last change.
 */

const planOf = (surveys: SurveyRegistry, surveyId: string) =>
	pooledPlan(surveys.current(surveyId)!.definition, surveys.versions(surveyId));

/** What a survey's sums and pairs depend on: its current pooled indicators. */
export function signature(surveys: SurveyRegistry, surveyId: string): string {
	return planSignature(planOf(surveys, surveyId));
}

/** Whether a survey's roll-ups were computed for its current definition. */
export async function usable(db: Queryable, surveys: SurveyRegistry, surveyId: string) {
	const [row] = await db.query<{ signature: string }>(
		sql`select signature from rollup_signatures where survey_id = ${surveyId}`
	);
	return row?.signature === signature(surveys, surveyId);
}

/**
 * At start-up (and whenever the registry is reloaded): a survey whose indicators changed has its
 * roll-ups dropped and every month marked pending, to be rebuilt in the background.
 */
export async function prepare(db: Database, surveys: SurveyRegistry) {
	for (const version of surveys.list()) {
		const id = version.definition.id;
		const wanted = signature(surveys, id);
		if (await usable(db, surveys, id)) continue;
		await db.transaction(async (tx) => {
			await tx.query(sql`delete from rollup_months where survey_id = ${id}`);
			await tx.query(sql`delete from rollup_answers where survey_id = ${id}`);
			await tx.query(sql`delete from rollup_pairs where survey_id = ${id}`);
			await tx.query(sql`
				insert into rollup_pending (survey_id, unit_code, month)
				select distinct survey_id, unit_code, month_of(local_date) from responses
				where survey_id = ${id}`);
			await tx.query(sql`
				insert into rollup_signatures (survey_id, signature) values (${id}, ${wanted})
				on conflict (survey_id) do update set signature = excluded.signature`);
		});
	}
}

// Any constant will do: it names the one lock that keeps two refreshers (server processes) apart.
const REFRESH_LOCK = 480_792_018;

/**
 * Recomputes up to `batch` pending (survey, unit, month) keys and clears their marks, in one
 * transaction. The marks are deleted first, so a response committed while this runs either is
 * seen by the recomputation or keeps its month pending for the next round.
 * @returns how many keys were recomputed
 */
export async function refresh(
	db: Database,
	surveys: SurveyRegistry,
	{ batch = 500 }: { batch?: number } = {}
): Promise<number> {
	return db.transaction(async (tx) => {
		if (db.kind === 'postgres') {
			const [lock] = await tx.query<{ ok: boolean }>(
				sql`select pg_try_advisory_xact_lock(${REFRESH_LOCK}) as ok`
			);
			if (!lock?.ok) return 0;
		}
		const keys = await tx.query<{ survey_id: string; unit_code: string; month: string }>(sql`
			select distinct survey_id, unit_code, to_char(month, 'YYYY-MM-DD') as month
			from rollup_pending order by 1, 2, 3 limit ${batch}`);
		if (!keys.length) return 0;
		const picked = sql`jsonb_to_recordset(${json(keys)}) as k(survey_id text, unit_code text, month date)`;
		await tx.query(sql`
			delete from rollup_pending p using ${picked}
			where p.survey_id = k.survey_id and p.unit_code = k.unit_code and p.month = k.month`);
		await tx.query(sql`
			delete from rollup_months m using ${picked}
			where m.survey_id = k.survey_id and m.unit_code = k.unit_code and m.month = k.month`);
		for (const table of ['rollup_answers', 'rollup_pairs']) {
			await tx.query(sql`
				delete from ${{ text: table, values: [] }} a using ${picked}
				where a.survey_id = k.survey_id and a.unit_code = k.unit_code and a.month = k.month`);
		}
		for (const surveyId of new Set(keys.map((k) => k.survey_id))) {
			const current = surveys.current(surveyId);
			// Responses of a survey no longer defined stay pending: nothing reads them.
			if (!current) continue;
			const own = json(keys.filter((k) => k.survey_id === surveyId));
			const these = sql`jsonb_to_recordset(${own}) as k(survey_id text, unit_code text, month date)`;
			// Each key's month read through an index on its own (a lateral loop over the keys; offset 0
			// keeps PostgreSQL from flattening it back into a join), where the join made the planner
			// scan all ten million responses for fifty months (npm run bench).
			const rowsOf = (columns: Statement, flagged: Statement) => sql`
				${these} cross join lateral (
					select ${columns} from responses r
					where r.survey_id = k.survey_id and r.unit_code = k.unit_code
						and r.local_date >= k.month and r.local_date < (k.month + interval '1 month')::date
						${flagged}
					offset 0) r`;
			const plan = planOf(surveys, surveyId);
			const counted = 'r.flag is null';
			const sums = {
				text: plan.slots.length
					? `array[${plan.aggregates(counted).join(', ')}]::integer[]`
					: `'{}'::integer[]`,
				values: []
			};
			const perRespondent = {
				text: plan.perRespondent ? `cross join lateral (select ${plan.perRespondent}) x` : '',
				values: []
			};
			await tx.query(sql`
				insert into rollup_months (survey_id, unit_code, month, channel, responses, flagged, sums)
				select k.survey_id, k.unit_code, k.month, r.channel, count(*) filter (where r.flag is null)::int,
					count(*) filter (where r.flag is not null)::int, ${sums}
				from ${rowsOf(sql`r.channel, r.flag, r.survey_version_id, r.scores`, empty)}
					${perRespondent}
				group by 1, 2, 3, 4`);
			for (const ind of plan.means) {
				const patterns = await tx.query<{
					unit_code: string;
					month: string;
					channel: string;
					p: string;
					n: number;
				}>(sql`
					select k.unit_code, to_char(k.month, 'YYYY-MM-DD') as month, r.channel,
						${{ text: `x.p${ind}`, values: [] }} as p, count(*)::int as n
					from ${rowsOf(sql`r.channel, r.survey_version_id, r.scores`, sql`and r.flag is null`)}
						cross join lateral (select ${{ text: plan.patterns, values: [] }}) x
					group by 1, 2, 3, 4`);
				const K = plan.indicators[ind]!.questions.length;
				const cells = new Map<
					string,
					{ unit_code: string; month: string; channel: string; sums: number[] }
				>();
				for (const { unit_code, month, channel, p, n } of patterns) {
					const key = `${unit_code} ${month} ${channel}`;
					let cell = cells.get(key);
					if (!cell) cells.set(key, (cell = { unit_code, month, channel, sums: emptyPairs(K) }));
					addPattern(cell.sums, p, n);
				}
				if (!cells.size) continue;
				await tx.query(sql`
					insert into rollup_pairs (survey_id, unit_code, month, channel, ind, sums)
					select ${surveyId}, t.unit_code, t.month, t.channel, ${ind}, t.sums
					from jsonb_to_recordset(${json([...cells.values()])})
						as t(unit_code text, month date, channel text, sums integer[])`);
			}
			await tx.query(sql`
				insert into rollup_answers (survey_id, unit_code, month, channel, survey_version_id, pos,
					value, n)
				select k.survey_id, k.unit_code, k.month, r.channel, r.survey_version_id, s.ord, s.value,
					count(*)::int
				from ${rowsOf(sql`r.channel, r.survey_version_id, r.scores`, sql`and r.flag is null`)}
					cross join lateral unnest(r.scores) with ordinality as s(value, ord)
				where s.value is not null
				group by 1, 2, 3, 4, 5, 6, 7`);
		}
		return keys.length;
	});
}

/**
 * Refreshes until nothing is pending (after a bulk load, in tests and benchmarks), then tidies
 * the roll-up tables it rewrote.
 */
export async function refreshAll(db: Database, surveys: SurveyRegistry) {
	let total = 0;
	for (let n = await refresh(db, surveys); n > 0; n = await refresh(db, surveys)) total += n;
	if (total > 0) await tidyRollups(db);
	return total;
}

/** Keeps roll-ups current while the server runs: a round every few seconds, never two at once. */
export function scheduleRefresh(
	db: Database,
	surveys: () => SurveyRegistry,
	everyMs = 5_000
): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		// Small rounds: on PGlite a round holds the only connection, and answers wait behind it.
		refresh(db, surveys(), { batch: 50 })
			.catch((error) => log.warn('roll-up refresh failed', { error }))
			.finally(() => (running = false));
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
