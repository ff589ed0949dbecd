import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { onCleanup } from './cleanup';
import { BENCH_ENV } from './options';

export interface RunningServer {
	url: string;
	pid: number;
	/** Peak resident memory so far (VmHWM), in bytes, summed over the server's processes. */
	peakRss(): number;
	/** Resident memory now (VmRSS), in bytes, summed over the server's processes. */
	rss(): number;
	/** CPU time the server's processes have used so far, all threads, in seconds. */
	cpuSeconds(): number;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

function memory(field: 'VmHWM' | 'VmRSS') {
	return (pid: number): number => {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kib = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
		if (!kib) throw new Error(`no ${field} in /proc/${pid}/status`);
		return Number(kib) * 1024;
	};
}

/** The server and its cluster workers (scripts/start.js forks one per core on PostgreSQL). */
function processTree(root: number): number[] {
	const children = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root;
			} catch {
				return false; // exited meanwhile
			}
		})
		.map(Number);
	return [root, ...children.flatMap(processTree)];
}

const sum = (pids: number[], read: (pid: number) => number) =>
	pids.reduce((total, pid) => total + read(pid), 0);

// USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux this runs on.
const USER_HZ = 100;

function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/**
 * Starts the production server (`scripts/start.js`, which builds first when the build is stale)
 * on a free local port and waits for /healthz. It runs on this very Node binary, so the child's
 * pid is the server itself and its /proc memory figures are the server's.
 */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	// BENCH_PROFILE_DIR: a V8 CPU profile per server process, written there when it stops.
	const profile = process.env.BENCH_PROFILE_DIR;
	const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
	const child = spawn(process.execPath, [...flags, 'scripts/start.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			...BENCH_ENV,
			LOG_LEVEL: 'warn',
			// adapter-node waits this long for keep-alive sockets on SIGTERM; an interrupted run won't.
			SHUTDOWN_TIMEOUT: '2',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	// Kept for the error message when start-up fails; the server's own output is not the report.
	let output = '';
	const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let running = true;
	void exited.then(() => (running = false));

	const stop = onCleanup(`server pid ${child.pid}`, async () => {
		if (!running) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	});

	// A stale build is rebuilt first, which takes a while on two cores.
	const deadline = Date.now() + 300_000;
	for (;;) {
		if (!running) {
			await stop();
			throw new Error(`the server exited during start-up:\n${output}`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`the server did not answer /healthz within 300 s:\n${output}`);
		}
		const healthy = await fetch(`${url}/healthz`).then(
			(r) => r.status === 200,
			() => false
		);
		// Under node:cluster the first process answers before the others listen; keep-alive clients
		// connecting then would all stay on it.
		const clustered = processTree(child.pid!).length > 1;
		if (healthy && (!clustered || /All \d+ server processes are listening/.test(output))) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	const pid = child.pid!;
	return {
		url,
		pid,
		peakRss: () => sum(processTree(pid), memory('VmHWM')),
		rss: () => sum(processTree(pid), memory('VmRSS')),
		cpuSeconds: () => sum(processTree(pid), cpuSeconds),
		stop
	};
}
