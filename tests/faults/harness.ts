// The fault suite's tools: the built server as a child process that can be killed, a database it
// can be restarted on, and a fleet of kiosks that retry as the real outbox does. Each test ends
// with the counts the issue asks for: sent, acknowledged, stored, duplicates.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startApp, stopApp } from '../../src/lib/server/app';
import { sql, openDatabase, connectPostgres, type Database } from '../../src/lib/server/db';
import { devices } from '../../src/lib/server/touchpoints';
import * as touchpoints from '../../src/lib/server/touchpoints';
import { TEST_ADMIN, testConfig, withDatabase } from '../helpers/config';

export const SURVEY = 'sipas-one-stop';

/** Where the server keeps its data: an embedded data directory or a PostgreSQL database. */
export interface Target {
	kind: 'pglite' | 'postgres';
	env: Record<string, string>;
	/** The database from this process; on PGlite only while no server holds the directory. */
	open(): Promise<Database>;
	dispose(): Promise<void>;
}

/** PostgreSQL when TEST_DATABASE_URL (or `url`) names a server, else a fresh PGlite directory. */
export async function freshTarget(url = process.env.TEST_DATABASE_URL): Promise<Target> {
	if (!url) {
		const dir = mkdtempSync(join(tmpdir(), 'hailong-faults-'));
		return {
			kind: 'pglite',
			env: { DATA_DIR: dir, DATABASE_URL: '' },
			// As the server opens it: the pglite folder inside, behind the data directory's lock.
			open: () => openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 }),
			dispose: async () => rmSync(dir, { recursive: true, force: true })
		};
	}
	const name = `hailong_faults_${process.pid}_${Date.now() % 1_000_000}`;
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const dbUrl = withDatabase(url, name);
	return {
		kind: 'postgres',
		env: { DATABASE_URL: dbUrl },
		open: async () => connectPostgres({ url: dbUrl, poolSize: 2 }),
		dispose: async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/** Migrates and seeds the target and pairs a kiosk tablet there: its touchpoint and token. */
export async function pairedKiosk(target: Target): Promise<{ code: string; token: string }> {
	const db = await target.open();
	try {
		await startApp({ db, config: testConfig() });
		const [unit] = await db.query<{ unit_code: string }>(
			sql`select unit_code from touchpoints where survey_id = ${SURVEY} limit 1`
		);
		const code = await touchpoints.create(db, {
			surveyId: SURVEY,
			unitCode: unit!.unit_code,
			channel: 'kiosk'
		});
		const tp = (await touchpoints.findByCode(db, code))!;
		const device = await devices.create(db, {
			touchpointId: tp.id,
			name: 'fault tablet',
			createdBy: 'tests'
		});
		const paired = await devices.pair(db, device.code);
		return { code, token: paired!.token };
	} finally {
		await stopApp();
		await db.close();
	}
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject()
			);
		});
	});
}

export interface Server {
	url: string;
	child: ChildProcess;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	output(): string;
}

/**
 * The production server (scripts/start.js: builds first when stale) as one process, so that the
 * process killed is the one serving. Resolves once /healthz answers 200.
 */
export async function startServer(
	target: Target,
	port: number,
	env: Record<string, string> = {}
): Promise<Server> {
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: {
			...process.env,
			...target.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			WEB_CONCURRENCY: '1',
			ADMIN_EMAIL: TEST_ADMIN.email,
			ADMIN_PASSWORD: TEST_ADMIN.password,
			LOG_LEVEL: 'warn',
			SHUTDOWN_TIMEOUT: '10',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	let running = true;
	void exited.then(() => (running = false));
	const deadline = Date.now() + 240_000;
	while (running && Date.now() < deadline) {
		const ok = await fetch(`${url}/healthz`).then(
			(r) => r.status === 200,
			() => false
		);
		if (ok) return { url, child, exited, output: () => output };
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill('SIGKILL');
	throw new Error(`the server did not become healthy:\n${output}`);
}

export async function stopServer(server: Server) {
	server.child.kill('SIGTERM');
	const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
	await server.exited;
	clearTimeout(timer);
}

export interface Counts {
	/** Distinct responses the kiosks finished and tried to deliver. */
	sent: number;
	/** Of those, how many the server acknowledged (201 stored, or 200 already stored). */
	acknowledged: number;
	/** Every answer received, by status, retries included ('error': no HTTP answer at all). */
	statuses: Record<string, number>;
	/** Answers the outbox would move to its dead letters (a 4xx other than 408/425/429). */
	refused: number;
	ids: string[];
	/** Every failed attempt's error message and body: generic, never SQL or a stack. */
	failures: string[];
}

const RETRYABLE = new Set([408, 425, 429]);

/**
 * One POST on a connection of its own: a request is then either refused at connect (the server
 * is not listening) or answered, never raced against a keep-alive socket being closed.
 */
function post(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'POST',
				agent: false,
				headers: {
					'content-type': 'application/json',
					'content-length': String(Buffer.byteLength(body)),
					authorization: `Bearer ${token}`
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('error', reject);
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * `clients` kiosks, each delivering `each` responses one after the other. Like the kiosk outbox, a
 * response is retried with the same id on a network error, a 5xx, 408, 425 or 429, with back-off
 * from 50 ms doubling to 1 s, until it is acknowledged or the deadline passes.
 */
export async function kioskFleet(options: {
	url: string;
	kiosk: { code: string; token: string };
	clients: number;
	each: number;
	/** Called after every acknowledgement, with the running total. */
	onAck?: (acknowledged: number) => void;
	deadlineMs?: number;
}): Promise<Counts> {
	const counts: Counts = {
		sent: 0,
		acknowledged: 0,
		statuses: {},
		refused: 0,
		ids: [],
		failures: []
	};
	const deadline = Date.now() + (options.deadlineMs ?? 120_000);
	const deliver = async (id: string) => {
		const body = JSON.stringify({
			id,
			touchpoint: options.kiosk.code,
			answeredAt: new Date().toISOString(),
			locale: 'vi',
			answers: { overall: 1 + (id.charCodeAt(0) % 5) }
		});
		for (let wait = 50; Date.now() < deadline; wait = Math.min(wait * 2, 1000)) {
			let status: number | 'error' = 'error';
			let text = '';
			try {
				({ status, text } = await post(
					`${options.url}/api/v1/responses`,
					options.kiosk.token,
					body
				));
			} catch (error) {
				text = (error as NodeJS.ErrnoException).code ?? String(error);
			}
			counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
			if (status === 201 || status === 200) {
				counts.acknowledged++;
				options.onAck?.(counts.acknowledged);
				return;
			}
			counts.failures.push(`${status} ${text}`.slice(0, 400));
			if (status !== 'error' && status < 500 && !RETRYABLE.has(status)) {
				counts.refused++;
				return;
			}
			await new Promise((r) => setTimeout(r, wait));
		}
	};
	await Promise.all(
		Array.from({ length: options.clients }, async () => {
			for (let i = 0; i < options.each; i++) {
				const id = randomUUID();
				counts.sent++;
				counts.ids.push(id);
				await deliver(id);
			}
		})
	);
	return counts;
}

/** How many of the ids are stored, and how many rows beyond one per id the touchpoint holds. */
export async function stored(
	db: Database,
	kioskCode: string,
	ids: string[]
): Promise<{ stored: number; duplicates: number }> {
	const [row] = await db.query<{ stored: number; rows: number }>(sql`
		select count(*) filter (where r.id = any(${ids}::uuid[]))::int as stored, count(*)::int as rows
		from responses r join touchpoints t on t.id = r.touchpoint_id
		where t.code = ${kioskCode}`);
	return { stored: row!.stored, duplicates: row!.rows - row!.stored };
}

/** The counts the issue asks for, printed by every fault test (and kept in the test output). */
export function report(
	name: string,
	target: Target,
	counts: Counts,
	db: { stored: number; duplicates: number }
) {
	console.log(
		`[faults] ${name} (${target.kind}): sent ${counts.sent}, acknowledged ${counts.acknowledged}, ` +
			`stored ${db.stored}, duplicates ${db.duplicates}; answers ${JSON.stringify(counts.statuses)}` +
			(counts.failures.length ? `; first failure: ${counts.failures[0]}` : '')
	);
}
