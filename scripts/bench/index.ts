// `npm run bench`: measures this machine against the budgets of ARCHITECTURE §7 and prints a table
// (also written to bench-data/last.json). Settings, all optional:
//   BENCH_SECONDS       ingest run length after a short warm-up (default 15)
//   BENCH_SIZES         response counts for the results latency, grown in one database (default 100000,1000000)
//   BENCH_SKIP          parts to leave out: ingest, results-pglite, results-postgres, export,
//                       weight, kiosk, import, fuzz
//   BENCH_IMPORT_ROWS   rows of the generated CSV the import part imports (default 100000)
//   BENCH_FUZZ_SECONDS  length of the fuzz run of POST /api/v1/responses (default 30)
//   BENCH_FUZZ_SEED     the fuzz's seed, to replay a run (default fixed, printed in the report)
//   BENCH_DATABASE_URL  PostgreSQL admin URL where throwaway databases are created
//                       (default postgres://postgres@127.0.0.1:5432/postgres)
//   DATABASE_POOL_SIZE  the server's pool, and so the bare-INSERT baseline's (default 10)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPostgres } from '$lib/server/db';
import { cleanupAll, interruption, onCleanup } from './cleanup';
import { measureIngest } from './ingest';
import { qrTouchpointCode } from './traffic';
import { measureKioskTap } from './kiosk-tap';
import { machineFacts } from './machine';
import { commandLine, readOptions, SetupError, type Options } from './options';
import { createDatabase, databaseName, dropDatabase, serverVersion } from './postgres';
import { renderReport, writeJson, type Report } from './report';
import { startServer } from './server';
import { DIR_PREFIX, removeLeftovers } from './stale';
import { measurePageWeight } from './weight';
import { importInWorker, resultsInWorker } from './worker';
import { writeImportCsv } from './import-csv';
import { measureFuzz } from './fuzz';

// The app's own info lines are not part of the report.
process.env.LOG_LEVEL ||= 'warn';

const status = (message: string) => process.stderr.write(`${message}\n`);

/** Ingest, page weight, the kiosk and the fuzz share one server on one throwaway database. */
async function againstServer(options: Options, report: Report) {
	const name = databaseName('ingest');
	const drop = onCleanup(`database ${name}`, () => dropDatabase(options.adminUrl, name));
	const url = await createDatabase(options.adminUrl, name);
	status('Starting the server (scripts/start.js builds first when the build is stale)…');
	const server = await startServer({
		DATABASE_URL: url,
		DATABASE_POOL_SIZE: String(options.poolSize)
	});
	const db = connectPostgres({ url, poolSize: 1 });
	const code = await qrTouchpointCode(db).finally(() => db.close());
	if (!options.skip.has('ingest')) {
		status(
			`Ingest: HTTP, then bare INSERTs, ${options.seconds} s each after ${options.warmupSeconds} s of warm-up…`
		);
		const ingest = await measureIngest({
			serverUrl: server.url,
			databaseUrl: url,
			code,
			concurrency: options.concurrency,
			poolSize: options.poolSize,
			warmupMs: options.warmupSeconds * 1000,
			durationMs: options.seconds * 1000,
			serverCpuSeconds: server.cpuSeconds
		});
		report.ingest = { ...ingest, serverPeakRssBytes: server.peakRss() };
	}
	if (!options.skip.has('weight')) report.weight = await measurePageWeight(server.url, code);
	if (!options.skip.has('kiosk')) {
		status('Kiosk: tap to next question at 4× CPU throttle in Chromium…');
		const kioskDb = connectPostgres({ url, poolSize: 1 });
		report.kiosk = await measureKioskTap(server.url, kioskDb).finally(() => kioskDb.close());
	}
	// Last on this server: what the fuzz leaves behind must not be in the other parts' figures.
	if (!options.skip.has('fuzz')) {
		status(`Fuzz: ${options.fuzzSeconds} s of hostile submissions, seed ${options.fuzzSeed}…`);
		const fuzzDb = connectPostgres({ url, poolSize: 1 });
		report.fuzz = await measureFuzz({
			server,
			db: fuzzDb,
			qrCode: code,
			seconds: options.fuzzSeconds,
			seed: options.fuzzSeed
		}).finally(() => fuzzDb.close());
	}
	await server.stop();
	await drop();
}

/** One generated CSV, imported twice into a fresh PostgreSQL database, then into PGlite. */
async function measureImports(options: Options, report: Report) {
	const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-import-`));
	const remove = onCleanup(`folder ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
	const rows = options.importRows;
	status(`Import: writing a ${rows.toLocaleString('en')}-row CSV…`);
	const file = await writeImportCsv(join(dir, 'import.csv'), rows);
	status(
		`  ${(file.bytes / 1024 / 1024).toFixed(1)} MiB, ${file.columns} columns, ` +
			`${file.surveys.length} surveys, in ${file.seconds.toFixed(1)} s`
	);
	for (const kind of ['postgres', 'pglite'] as const) {
		status(`Import into ${kind} (the path of npm run import)…`);
		report.import.push(await importInWorker(kind, options, file));
	}
	await remove();
}

async function main() {
	const options = readOptions();
	const needsPostgres = (
		['ingest', 'weight', 'kiosk', 'fuzz', 'results-postgres', 'import'] as const
	).some((part) => !options.skip.has(part));
	if (needsPostgres) {
		await serverVersion(options.adminUrl).catch((error: Error) => {
			throw new SetupError(
				`PostgreSQL is not reachable at ${options.adminUrl} (${error.message}). Start it, set ` +
					'BENCH_DATABASE_URL, or run only BENCH_SKIP=ingest,weight,results-postgres.'
			);
		});
	}
	for (const leftover of await removeLeftovers(options.adminUrl, options.reuseDatabase)) {
		status(`Removed ${leftover}, left by an interrupted run`);
	}
	const report: Report = {
		command: commandLine(),
		startedAt: new Date().toISOString(),
		machine: await machineFacts(options.adminUrl),
		settings: {
			seconds: options.seconds,
			warmupSeconds: options.warmupSeconds,
			sizes: options.sizes,
			concurrency: options.concurrency,
			poolSize: options.poolSize,
			importRows: options.importRows,
			fuzzSeconds: options.fuzzSeconds,
			fuzzSeed: options.fuzzSeed,
			skipped: [...options.skip]
		},
		// Declared here so the JSON lists the parts in the order they run.
		ingest: undefined,
		weight: undefined,
		kiosk: undefined,
		fuzz: undefined,
		results: [],
		import: [],
		quoted: { surveyJsRespondentGzipBytes: 415 * 1024 }
	};
	if ((['ingest', 'weight', 'kiosk', 'fuzz'] as const).some((part) => !options.skip.has(part)))
		await againstServer(options, report);
	for (const kind of ['pglite', 'postgres'] as const) {
		if (options.skip.has(`results-${kind}`)) continue;
		status(`Results latency on ${kind}: generating responses…`);
		report.results.push(...(await resultsInWorker(kind, options)));
	}
	if (!options.skip.has('import')) await measureImports(options, report);
	process.stdout.write(renderReport(report));
	status(`Figures written to ${writeJson(report)}`);
}

try {
	await main();
} catch (error) {
	// After Ctrl-C, failures are the interruption's echo (a server already stopped, say).
	if (!interruption.signal.aborted) {
		const told = error instanceof SetupError ? error.message : (error as Error).stack;
		process.stderr.write(`\nBench failed: ${told}\n`);
	}
	process.exitCode = 1;
} finally {
	await cleanupAll();
}
