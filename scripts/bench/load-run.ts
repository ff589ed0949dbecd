// `npm run bench:load`: the production server under 64 and 256 concurrent clients against
// PostgreSQL, half of them kiosks posting JSON with a device token, half phones posting the QR
// form without JavaScript; each level next to bare single-row INSERTs from as many clients.
// Prints a table and writes bench-data/load.json. Settings, all optional:
//   BENCH_SECONDS        length of each measured run after a short warm-up (default 15)
//   BENCH_LOAD_CLIENTS   concurrency levels (default 64,256)
//   BENCH_DATABASE_URL   PostgreSQL admin URL for the throwaway database
//   DATABASE_POOL_SIZE   the server's pool, and so the bare-INSERT baseline's (default 10)
import { connectPostgres } from '$lib/server/db';
import { bareInserts } from './baseline';
import { cleanupAll, interruption, onCleanup } from './cleanup';
import { throughHttp } from './ingest';
import type { LoadStats } from './load';
import { localPostgresCpuSeconds, machineFacts } from './machine';
import { readOptions, SetupError } from './options';
import { createDatabase, databaseName, dropDatabase, serverVersion } from './postgres';
import { BUDGETS, int, mib, ms, table, verdict, writeJson, type Line } from './report';
import { startServer } from './server';
import { removeLeftovers } from './stale';
import {
	answerPool,
	kioskJson,
	pairedKiosk,
	qrForm,
	qrTouchpointCode,
	shortVisit
} from './traffic';

process.env.LOG_LEVEL ||= 'warn';
const status = (message: string) => process.stderr.write(`${message}\n`);

interface Level {
	clients: number;
	http: Awaited<ReturnType<typeof throughHttp>>;
	bare: LoadStats & { databaseCores: number | null };
	ratio: number;
	/** The server's resident memory after this level, and its peak so far. */
	rssBytes: number;
	peakRssBytes: number;
}

function clientLevels(raw = process.env.BENCH_LOAD_CLIENTS || '64,256'): number[] {
	return raw.split(',').map((s) => {
		const n = Number(s.trim());
		if (!Number.isInteger(n) || n <= 0)
			throw new SetupError(`BENCH_LOAD_CLIENTS: "${s}" is not a positive integer`);
		return n;
	});
}

const cores = (n: number | null) => (n === null ? '—' : n.toFixed(2));

function lines(levels: Level[], seconds: number, poolSize: number): Line[] {
	return levels.flatMap(({ clients, http, bare, ratio, rssBytes, peakRssBytes }): Line[] => {
		const judged = clients === 64;
		const statuses = Object.entries(http.statuses)
			.map(([s, n]) => `${s}: ${int(n)}`)
			.join(', ');
		const fiveHundreds = Object.entries(http.statuses)
			.filter(([s]) => s.startsWith('5') || s === 'error')
			.reduce((sum, [, n]) => sum + n, 0);
		return [
			`${clients} clients, ${seconds} s, pool ${poolSize}: kiosk JSON and QR form posts, half each`,
			['HTTP', `${int(http.perSecond)} responses/s`],
			[
				'  latency p50 / p95 / p99',
				`${ms(http.p50Ms)} / ${ms(http.p95Ms)} / ${ms(http.p99Ms)} ms`,
				judged ? `p99 ≤ ${BUDGETS.ingestP99Ms} ms` : undefined,
				judged ? verdict(http.p99Ms <= BUDGETS.ingestP99Ms) : undefined
			],
			['  statuses', statuses],
			['  5xx and refused connections', int(fiveHundreds), '0', verdict(fiveHundreds === 0)],
			[
				'  acknowledged / stored',
				`${int(http.acknowledged)} / ${int(http.stored)}`,
				'equal',
				verdict(http.acknowledged === http.stored)
			],
			[
				'  CPU: server / database / load client',
				`${cores(http.serverCores)} / ${cores(http.databaseCores)} / ${cores(http.clientCores)} cores`
			],
			[
				'  server CPU per response',
				`${((http.serverCores * 1000) / http.perSecond).toFixed(2)} ms`
			],
			['  server RSS after / peak so far', `${mib(rssBytes)} / ${mib(peakRssBytes)}`],
			['Bare single-row INSERTs, same clients and pool', `${int(bare.perSecond)} rows/s`],
			['  CPU: database', `${cores(bare.databaseCores)} cores`],
			[
				'  HTTP ÷ bare',
				ratio.toFixed(2),
				`≥ ${BUDGETS.ingestRatio}`,
				verdict(ratio >= BUDGETS.ingestRatio)
			]
		];
	});
}

async function main() {
	const options = readOptions();
	const levels = clientLevels();
	await serverVersion(options.adminUrl).catch((error: Error) => {
		throw new SetupError(
			`PostgreSQL is not reachable at ${options.adminUrl} (${error.message}). Start it or set BENCH_DATABASE_URL.`
		);
	});
	for (const leftover of await removeLeftovers(options.adminUrl)) {
		status(`Removed ${leftover}, left by an interrupted run`);
	}
	const machine = await machineFacts(options.adminUrl);
	const name = databaseName('load');
	const drop = onCleanup(`database ${name}`, () => dropDatabase(options.adminUrl, name));
	const url = await createDatabase(options.adminUrl, name);
	status('Starting the server (scripts/start.js builds first when the build is stale)…');
	const server = await startServer({
		DATABASE_URL: url,
		DATABASE_POOL_SIZE: String(options.poolSize)
	});
	const db = connectPostgres({ url, poolSize: 2 });
	const measured: Level[] = [];
	try {
		const qr = await qrTouchpointCode(db);
		const kiosk = await pairedKiosk(db, qr);
		const { version, questions } = await shortVisit(db);
		const answers = answerPool(questions);
		for (const clients of levels) {
			if (interruption.signal.aborted) break;
			const setup = {
				serverUrl: server.url,
				databaseUrl: url,
				code: qr,
				concurrency: clients,
				poolSize: options.poolSize,
				warmupMs: options.warmupSeconds * 1000,
				durationMs: options.seconds * 1000,
				serverCpuSeconds: server.cpuSeconds,
				databaseCpuSeconds: localPostgresCpuSeconds
			};
			status(`${clients} clients: HTTP, then bare INSERTs, ${options.seconds} s each…`);
			let sent = 0;
			const http = await throughHttp(setup, db, () => {
				const answer = answers[sent % answers.length]!;
				return sent++ % 2 ? qrForm(server.url, qr, answer) : kioskJson(server.url, kiosk, answer);
			});
			const bare = await bareInserts(setup, db, version, answers);
			measured.push({
				clients,
				http,
				bare,
				ratio: http.perSecond / bare.perSecond,
				rssBytes: server.rss(),
				peakRssBytes: server.peakRss()
			});
		}
	} finally {
		await db.close();
		await server.stop();
		await drop();
	}
	const command = ['BENCH_SECONDS', 'BENCH_LOAD_CLIENTS', 'DATABASE_POOL_SIZE']
		.filter((v) => process.env[v])
		.map((v) => `${v}=${process.env[v]}`)
		.concat('npm run bench:load')
		.join(' ');
	const head = [
		`Hài Lòng load bench, ${new Date().toISOString()}`,
		`Command: ${command}`,
		`Machine: ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, PostgreSQL ${machine.postgres}`
	];
	process.stdout.write(
		`${head.join('\n')}\n\n${table(lines(measured, options.seconds, options.poolSize))}\n`
	);
	status(
		`Figures written to ${writeJson({ command, machine, levels: measured }, 'bench-data/load.json')}`
	);
}

try {
	await main();
} catch (error) {
	if (!interruption.signal.aborted) {
		const told = error instanceof SetupError ? error.message : (error as Error).stack;
		process.stderr.write(`\nLoad bench failed: ${told}\n`);
	}
	process.exitCode = 1;
} finally {
	await cleanupAll();
}
