// The CSV import of a national-scale legacy file: a 100,000-row file imported through
// the very call `npm run import` makes (importCsv with its progress and audit), into a fresh
// database, then imported again: the replay must store nothing.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { startApp, stopApp, type App } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { loadConfig } from '$lib/server/config';
import { importCsv } from '$lib/server/paper';
import { countResponses } from './ingest';
import { BENCH_ENV, type Options } from './options';
import { freshDatabase, type Kind, type Reporter } from './results';

export interface ImportRun {
	/** Rows the import read and checked (the header aside). */
	rows: number;
	stored: number;
	skipped: number;
	seconds: number;
	/** Peak resident memory during the import minus the resident memory before it. */
	rssGrowthBytes: number;
	/** The bench process's resident memory before the import, and its peak during it. */
	rssBeforeBytes: number;
	peakRssBytes: number;
	/** Rows in the responses table after this run. */
	tableRows: number;
}

/** The generated file (import-csv.ts), as the worker is told of it. */
export interface ImportSource {
	path: string;
	rows: number;
	bytes: number;
	columns: number;
	surveys: string[];
}

export interface ImportTiming {
	database: Kind;
	file: Omit<ImportSource, 'path'>;
	first: ImportRun;
	replay: ImportRun;
	/** Rows the table held before the first run (a fresh database: none). */
	rowsBefore: number;
}

/**
 * Peak RSS since the last reset. Linux resets VmHWM on writing 5 to clear_refs; where that is not
 * allowed, a sampler stands in (coarser: it misses peaks between two samples).
 */
function peakRss() {
	const hwm = () =>
		Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
	let sampled = process.memoryUsage().rss;
	let exact = false;
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		exact = Number.isFinite(hwm());
	} catch {
		exact = false;
	}
	const timer = exact
		? undefined
		: setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 50);
	return () => {
		clearInterval(timer);
		return exact ? hwm() : Math.max(sampled, process.memoryUsage().rss);
	};
}

/** One import as `npm run import -- file.csv` runs it (scripts/import.ts). */
async function importOnce(app: App, path: string, progress: (text: string) => void) {
	const before = process.memoryUsage().rss;
	const peak = peakRss();
	const started = performance.now();
	const result = await importCsv(app.db, app.surveys, createReadStream(path), {
		onProgress: (message) => progress(`\r  ${message}   `),
		onStored: (tx, counts) =>
			audit(tx, {
				actor: null,
				action: 'responses_imported',
				target: path,
				detail: { ...counts, via: 'npm run bench' }
			})
	});
	const seconds = (performance.now() - started) / 1000;
	const peakRssBytes = peak();
	const rssGrowthBytes = Math.max(0, peakRssBytes - before);
	progress('\n');
	if (!result.ok) {
		const shown = result.errors
			.slice(0, 5)
			.map((e) => `row ${e.row}, ${e.column}: ${e.message}`)
			.join('; ');
		throw new Error(`the generated file was refused (${result.errors.length} errors): ${shown}`);
	}
	return {
		rows: result.rows,
		stored: result.stored,
		skipped: result.skipped,
		seconds,
		rssGrowthBytes,
		rssBeforeBytes: before,
		peakRssBytes,
		tableRows: await countResponses(app.db)
	};
}

export async function measureImport(
	kind: Kind,
	options: Options,
	file: ImportSource,
	reporter: Reporter
): Promise<ImportTiming> {
	const { db, dispose } = await freshDatabase(
		kind,
		{ ...options, reuseDatabase: null },
		reporter,
		'import'
	);
	const config = loadConfig({ ...BENCH_ENV, LOG_LEVEL: 'warn' });
	try {
		const app = await startApp({ db, config });
		const rowsBefore = await countResponses(db);
		reporter.progress(`import-${kind}: ${file.rows.toLocaleString('en')} rows, first run…\n`);
		const first = await importOnce(app, file.path, reporter.progress);
		reporter.progress(`import-${kind}: the same file again…\n`);
		const replay = await importOnce(app, file.path, reporter.progress);
		return {
			database: kind,
			file: { rows: file.rows, bytes: file.bytes, columns: file.columns, surveys: file.surveys },
			first,
			replay,
			rowsBefore
		};
	} finally {
		await stopApp();
		await dispose();
	}
}
