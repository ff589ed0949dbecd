import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import type { Database } from '$lib/server/db';
import * as responses from '$lib/server/responses';
import type { SurveyVersion } from '$lib/server/surveys';
import * as touchpoints from '$lib/server/touchpoints';
import type { Answers } from './answers';
import type { Setup } from './ingest';
import { interruption } from './cleanup';
import { closedLoop, type LoadStats } from './load';
import { localPostgresCpuSeconds } from './machine';

/**
 * The baseline: the same row the server would store, inserted with one plain INSERT per call
 * through postgres.js, from as many concurrent loops as HTTP clients, over a pool the size of
 * the server's. Validation, hashing and HTTP are what the ratio then measures.
 */
export async function bareInserts(
	setup: Setup,
	db: Database,
	version: SurveyVersion,
	answers: Answers[]
) {
	const tp = await touchpoints.findByCode(db, setup.code);
	if (!tp) throw new Error(`touchpoint ${setup.code} not found`);
	const rows = answers.map((a) => {
		const now = new Date();
		const prepared = responses.prepare(version, {
			id: randomUUID(),
			touchpointId: tp.id,
			unitCode: tp.unitCode,
			rootUnit: tp.rootUnit,
			channel: tp.channel,
			locale: 'vi',
			reportedAt: now,
			receivedAt: now,
			answers: a,
			where: tp.code
		});
		if (!prepared.ok)
			throw new Error(`generated answers rejected: ${JSON.stringify(prepared.errors)}`);
		return prepared.row;
	});
	const pg = postgres(setup.databaseUrl, {
		max: setup.poolSize,
		onnotice: () => {},
		connection: { TimeZone: 'UTC' }
	});
	let next = 0;
	const databaseCpu = localPostgresCpuSeconds();
	const started = performance.now();
	try {
		const stats: LoadStats = await closedLoop({
			concurrency: setup.concurrency,
			warmupMs: setup.warmupMs,
			durationMs: setup.durationMs,
			signal: interruption.signal,
			op: async () => {
				const r = rows[next++ % rows.length]!;
				// ::text first, as the app does: postgres.js would encode the JSON text a second time.
				// The id is claimed in the registry as every write to responses must (migration 0010).
				await pg`
					with claimed as (
						insert into response_ids (id, content_hash) values (${randomUUID()}, ${r.contentHash})
						returning id)
					insert into responses (id, survey_id, survey_version_id, touchpoint_id, unit_code, root_unit,
						channel, locale, reported_at, received_at, effective_at, local_date, answers, scores, content_hash)
					select claimed.id, ${r.surveyId}, ${r.surveyVersionId}, ${r.touchpointId}, ${r.unitCode},
						${r.rootUnit}, ${r.channel}, ${r.locale}, ${r.reportedAt?.toISOString() ?? null}::timestamptz,
						${r.receivedAt.toISOString()}::timestamptz, ${r.effectiveAt.toISOString()}::timestamptz,
						${r.localDate}::date, ${JSON.stringify(r.answers)}::text::jsonb, ${r.scores}::smallint[],
						${r.contentHash}
					from claimed`;
				return true;
			}
		});
		// Read before the pool closes: the backends' CPU time goes with them.
		const databaseNow = localPostgresCpuSeconds();
		const wall = (performance.now() - started) / 1000;
		const databaseCores =
			databaseCpu === null || databaseNow === null ? null : (databaseNow - databaseCpu) / wall;
		return { ...stats, databaseCores };
	} finally {
		await pg.end({ timeout: 5 });
	}
}
