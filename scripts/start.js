// `npm start`: builds when the build is missing or older than the sources, then serves it. On
// PostgreSQL it runs one server process per core (node:cluster): one process is CPU-bound at a
// few thousand submissions a second. The embedded PGlite allows a single process.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const marker = 'build/index.js';

function newest(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function buildIfStale() {
	const sources = ['src', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	if (existsSync(marker) && Math.max(...sources.map(newest)) <= statSync(marker).mtimeMs) return;
	console.log('Building Hài Lòng…');
	// Vite runs on this same Node (24), whatever PATH says.
	const vite = join(import.meta.dirname, '../node_modules/vite/bin/vite.js');
	const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
		stdio: 'inherit'
	});
	if (built.status !== 0) {
		console.error(`The build failed${built.error ? `: ${built.error.message}` : ''}.`);
		process.exit(built.status ?? 1);
	}
}

function workerCount() {
	if (!process.env.DATABASE_URL) return 1;
	const asked = Number(process.env.WEB_CONCURRENCY);
	return Number.isInteger(asked) && asked > 0 ? asked : availableParallelism();
}

// adapter-node refuses form posts whose Origin differs from ORIGIN; default to the local address.
process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// CSV imports in the staff UI accept files up to 5 MB; multipart framing adds a little.
process.env.BODY_SIZE_LIMIT ??= '6M';

const workers = workerCount();
if (cluster.isPrimary && workers > 1) {
	buildIfStale();
	let stopping = false;
	const listening = new Set();
	const fork = (index) => {
		const worker = cluster.fork({ HAILONG_WORKER: String(index) });
		worker.once('listening', () => {
			listening.add(worker.id);
			// Until then one process holds every keep-alive connection opened meanwhile.
			if (listening.size === workers) console.log(`All ${workers} server processes are listening.`);
		});
		worker.once('exit', (code, signal) => {
			if (stopping) return;
			// A process that never listened failed to start (its message is printed): stop too.
			if (!listening.has(worker.id)) process.exit(code || 1);
			console.error(`Server process ${index} stopped (${signal ?? code}); starting it again.`);
			fork(index);
		});
		return worker;
	};
	// The first process migrates and seeds alone; the others start once it listens.
	fork(1).once('listening', () => {
		for (let i = 2; i <= workers; i++) fork(i);
	});
	// Each process finishes its requests and closes its database, then the primary exits.
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		const alive = Object.values(cluster.workers ?? {}).filter(Boolean);
		let left = alive.length;
		if (left === 0) process.exit(0);
		for (const worker of alive) {
			worker.once('exit', () => --left === 0 && process.exit(0));
			worker.process.kill('SIGTERM');
		}
	};
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);
} else {
	if (cluster.isPrimary) buildIfStale();
	// A cluster worker's channel to the primary keeps it alive: let go once the server has shut.
	else process.once('sveltekit:shutdown', () => process.disconnect());
	await import(new URL('../build/index.js', import.meta.url).href);
}
