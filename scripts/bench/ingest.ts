import { Agent } from 'node:http';
import { sql, connectPostgres, type Database } from '$lib/server/db';
import { bareInserts } from './baseline';
import { interruption } from './cleanup';
import { closedLoop, type LoadStats } from './load';
import { answerPool, qrJson, shortVisit, type Request, type Status } from './traffic';

export interface IngestResult {
	concurrency: number;
	poolSize: number;
	http: LoadStats & {
		acknowledged: number;
		stored: number;
		non2xx: number;
		statuses: Record<string, number>;
		/** CPU used during the HTTP run, in cores: on a small machine client and server compete. */
		serverCores: number;
		clientCores: number;
		/** The local PostgreSQL's processes, when it runs on this machine. */
		databaseCores: number | null;
	};
	bare: LoadStats;
	/** HTTP rate over bare-INSERT rate; the budget is ≥ 0.5. */
	ratio: number;
}

export interface Setup {
	serverUrl: string;
	databaseUrl: string;
	code: string;
	concurrency: number;
	poolSize: number;
	warmupMs: number;
	durationMs: number;
	serverCpuSeconds: () => number;
	databaseCpuSeconds?: () => number | null;
}

/**
 * The server under a closed loop of `setup.concurrency` clients, each sending the next request
 * as soon as its last one is answered. Acknowledged are the answers that say "stored"; stored is
 * what the database gained: the two must be equal.
 */
export async function throughHttp(setup: Setup, db: Database, next: () => Request) {
	// One keep-alive socket per client: every client has its own connection, as real devices do.
	const agent = new Agent({ keepAlive: true, maxSockets: setup.concurrency });
	const statuses: Record<string, number> = {};
	let acknowledged = 0;
	const before = await countResponses(db);
	const serverCpu = setup.serverCpuSeconds();
	const databaseCpu = setup.databaseCpuSeconds?.() ?? null;
	const clientCpu = process.cpuUsage();
	const started = performance.now();
	try {
		const stats = await closedLoop({
			concurrency: setup.concurrency,
			warmupMs: setup.warmupMs,
			durationMs: setup.durationMs,
			signal: interruption.signal,
			op: async () => {
				const request = next();
				// A refused connection counts against the run like an error status would.
				const status: Status = await request.send(agent).catch(() => 'error');
				statuses[status] = (statuses[status] ?? 0) + 1;
				if (status === request.stored) acknowledged++;
				return status === request.stored;
			}
		});
		const wall = (performance.now() - started) / 1000;
		const client = process.cpuUsage(clientCpu);
		const serverCores = (setup.serverCpuSeconds() - serverCpu) / wall;
		const clientCores = (client.user + client.system) / 1e6 / wall;
		const databaseNow = setup.databaseCpuSeconds?.() ?? null;
		const databaseCores =
			databaseCpu === null || databaseNow === null ? null : (databaseNow - databaseCpu) / wall;
		const non2xx = Object.entries(statuses)
			.filter(([s]) => !/^[23]\d\d$/.test(s))
			.reduce((sum, [, n]) => sum + n, 0);
		return {
			...stats,
			acknowledged,
			stored: (await countResponses(db)) - before,
			non2xx,
			statuses,
			serverCores,
			clientCores,
			databaseCores
		};
	} finally {
		agent.destroy();
	}
}

export async function countResponses(db: Database): Promise<number> {
	const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from responses`);
	return row?.n ?? 0;
}

export async function measureIngest(setup: Setup): Promise<IngestResult> {
	const db = connectPostgres({ url: setup.databaseUrl, poolSize: 2 });
	try {
		const { version, questions } = await shortVisit(db);
		const answers = answerPool(questions);
		let sent = 0;
		const http = await throughHttp(setup, db, () =>
			qrJson(setup.serverUrl, setup.code, answers[sent++ % answers.length]!)
		);
		const bare = await bareInserts(setup, db, version, answers);
		// Both paths must have stored the same thing, or the ratio compares different work.
		const [odd] = await db.query<{ n: number }>(
			sql`select count(*)::int as n from responses where jsonb_typeof(answers) <> 'object'`
		);
		if (odd?.n)
			throw new Error(`${odd.n} stored responses have answers that are not a JSON object`);
		return {
			concurrency: setup.concurrency,
			poolSize: setup.poolSize,
			http,
			bare,
			ratio: http.perSecond / bare.perSecond
		};
	} finally {
		await db.close();
	}
}
