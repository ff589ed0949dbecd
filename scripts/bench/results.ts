import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, stopApp, type App } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import { connectPostgres, openPglite, type Database, tidyResponses, sql } from '$lib/server/db';
import { rollups } from '$lib/server/results';
import { responseTable, csvStream, xlsxStream } from '$lib/server/exports';
import * as results from '$lib/server/results';
import { parsePeriod } from '$lib/survey/periods';
import { seeded } from './answers';
import { generate, places } from './generate';
import { percentile } from './load';
import { BENCH_ENV, SURVEY, type Options } from './options';
import { createDatabase, databaseName, dropDatabase } from './postgres';
import { DIR_PREFIX } from './stale';

export type Kind = 'pglite' | 'postgres';

export interface ResultsTiming {
	database: Kind;
	responses: number;
	/** Time to add this step's rows through the bulk path. */
	loadSeconds: number;
	loadedRows: number;
	/** Time for the roll-up refresher to catch up with the load, as the server would. */
	rollupSeconds: number;
	queries: number;
	groupedByUnit: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
	/** Responses in the largest scope timed (the province over a quarter): a sanity check. */
	largestScope: number;
	/** At the largest size: CSV and XLSX exports of about a million responses, streamed to nowhere. */
	exports?: ExportTiming[];
}

export interface ExportTiming {
	format: 'csv' | 'xlsx';
	rows: number;
	bytes: number;
	seconds: number;
	/** Peak resident memory during the export minus before it: constant memory keeps it small. */
	rssGrowthBytes: number;
}

/** What a results run makes outside itself: announced before it exists, so it can be removed. */
export type Resource = { dir: string } | { database: string };

export interface Reporter {
	announce(resource: Resource): void;
	progress(text: string): void;
}

/** An empty database of the given kind, and how to close and remove it. */
export async function freshDatabase(
	kind: Kind,
	options: Options,
	{ announce }: Reporter,
	label = 'results'
): Promise<{ db: Database; dispose: () => Promise<void> }> {
	if (kind === 'pglite') {
		// On disk like a real DATA_DIR, not in memory: the budget is for the embedded database as run.
		const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
		announce({ dir });
		const remove = () => rmSync(dir, { recursive: true, force: true });
		const db = await openPglite({ dataDir: dir }).catch((error) => {
			remove();
			throw error;
		});
		const dispose = async () => {
			await db.close();
			remove();
		};
		return { db, dispose };
	}
	if (options.reuseDatabase) {
		// Kept from an earlier run (its name is printed at the start): timed again, left in place.
		const url = new URL(options.adminUrl);
		url.pathname = `/${options.reuseDatabase}`;
		const db = connectPostgres({ url: url.toString(), poolSize: options.poolSize });
		return { db, dispose: () => db.close() };
	}
	const name = databaseName(label);
	announce({ database: name });
	const db = connectPostgres({
		url: await createDatabase(options.adminUrl, name),
		poolSize: options.poolSize
	});
	const dispose = async () => {
		await db.close();
		await dropDatabase(options.adminUrl, name);
	};
	return { db, dispose };
}

const QUARTERS = [2019, 2020, 2021, 2022, 2023].flatMap((y) =>
	[1, 2, 3, 4].map((q) => `${y}-Q${q}`)
);

/** The same pairs for every database and size: every tenth is the whole province, a third grouped. */
function queryPlan(units: string[], count: number) {
	const rand = seeded(42);
	return Array.from({ length: count }, (_, i) => ({
		unitCode: i % 10 === 0 ? 'AG' : units[Math.floor(rand() * units.length)]!,
		range: parsePeriod(QUARTERS[Math.floor(rand() * QUARTERS.length)]!)!,
		groupBy: i % 3 === 0 ? ('unit' as const) : undefined
	}));
}

async function timeQueries(app: App, units: string[], count: number) {
	const plan = queryPlan(units, count);
	const run = (q: (typeof plan)[number]) =>
		results.forUnit(app.db, app.surveys, { surveyId: SURVEY, ...q }, { full: true });
	// A few untimed queries first, so the figures are of a server in use, not of a cold cache.
	for (const q of plan.slice(0, 3)) await run(q);
	const times: number[] = [];
	let largestScope = 0;
	for (const q of plan) {
		const start = performance.now();
		const answer = await run(q);
		times.push(performance.now() - start);
		largestScope = Math.max(largestScope, answer.responses);
	}
	const sorted = Float64Array.from(times).sort();
	return {
		queries: plan.length,
		groupedByUnit: plan.filter((q) => q.groupBy).length,
		p50Ms: percentile(sorted, 0.5),
		p95Ms: percentile(sorted, 0.95),
		maxMs: sorted[sorted.length - 1] ?? NaN,
		largestScope
	};
}

/**
 * The province's responses exported as staff download them: the whole generated table (five
 * years), or past a few million rows the first half of 2019, about a million: the budget's size,
 * without spending a quarter of an hour on ten million.
 */
async function timeExport(app: App, size: number, format: 'csv' | 'xlsx'): Promise<ExportTiming> {
	const source = responseTable(app.db, app.surveys, {
		surveyId: SURVEY,
		unitCode: 'AG',
		range:
			size > 3_000_000
				? { from: '2019-01-01', to: '2019-06-30' }
				: { from: '2019-01-01', to: '2023-12-31' }
	});
	let rows = 0;
	async function* counted() {
		for await (const batch of source.rows) {
			rows += batch.length;
			yield batch;
		}
	}
	const table = { header: source.header, rows: counted() };
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
	const start = performance.now();
	let bytes = 0;
	try {
		for await (const chunk of format === 'csv' ? csvStream(table) : xlsxStream(table, 'x'))
			bytes += chunk.byteLength;
	} finally {
		clearInterval(sampler);
	}
	return {
		format,
		rows,
		bytes,
		seconds: (performance.now() - start) / 1000,
		rssGrowthBytes: Math.max(0, peak - before)
	};
}

/** Results latency at each size, growing one database step by step. */
export async function measureResults(
	kind: Kind,
	options: Options,
	reporter: Reporter
): Promise<ResultsTiming[]> {
	const { db, dispose } = await freshDatabase(kind, options, reporter);
	const config = loadConfig({ ...BENCH_ENV, LOG_LEVEL: 'warn' });
	try {
		const app = await startApp({ db, config });
		const version = app.surveys.current(SURVEY);
		if (!version) throw new Error(`survey ${SURVEY} is not loaded`);
		const sites = await places(db, SURVEY);
		const timings: ResultsTiming[] = [];
		const [stored] = await db.query<{ n: number }>(sql`select count(*)::int as n from responses`);
		let have = stored?.n ?? 0;
		for (const [step, size] of options.sizes.entries()) {
			const loadSeconds = await generate(
				db,
				version,
				sites,
				{
					from: have,
					to: size,
					seed: step + 1,
					label: `results-${kind}`
				},
				reporter.progress
			);
			const loadedRows = Math.max(0, size - have);
			have = Math.max(size, have);
			// What the app does after a bulk load (vacuum on PGlite, analyze on PostgreSQL).
			await tidyResponses(db);
			const rollupStart = performance.now();
			await rollups.refreshAll(db, app.surveys);
			const rollupSeconds = (performance.now() - rollupStart) / 1000;
			const timed = await timeQueries(
				app,
				sites.map((p) => p.unitCode),
				options.queries
			);
			timings.push({
				database: kind,
				responses: have,
				loadSeconds,
				loadedRows,
				rollupSeconds,
				...timed
			});
		}
		const last = timings.at(-1);
		// The export budget is PostgreSQL's: on PGlite a million rows take many minutes (measured
		// past eight before it was stopped), documented in docs/benchmarks.md.
		if (last && kind === 'postgres' && !options.skip.has('export')) {
			last.exports = [];
			for (const format of ['csv', 'xlsx'] as const) {
				reporter.progress(`results-${kind}: exporting the responses as ${format.toUpperCase()}…`);
				last.exports.push(await timeExport(app, last.responses, format));
			}
		}
		return timings;
	} finally {
		await stopApp();
		await dispose();
	}
}
