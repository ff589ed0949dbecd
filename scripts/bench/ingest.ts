import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { sql } from '$lib/server/db';
import { connectPostgres, type Database } from '$lib/server/db/driver';
import { loadRegistry, type SurveyVersion } from '$lib/server/surveys';
import { likertQuestions, realisticAnswers, seeded, type Answers } from './answers';
import { bareInserts } from './baseline';
import { interruption } from './cleanup';
import { closedLoop, type LoadStats } from './load';
import { SURVEY } from './options';

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
}

export async function qrTouchpointCode(db: Database): Promise<string> {
	const [row] = await db.query<{ code: string }>(
		sql`select code from touchpoints where channel = 'qr' and survey_id = ${SURVEY} and active limit 1`
	);
	if (!row) throw new Error(`the seeded database has no QR touchpoint for ${SURVEY}`);
	return row.code;
}

/** Five hundred different answer sets, cycled: realistic variety without generating per request. */
function answerPool(questions: ReturnType<typeof likertQuestions>): Answers[] {
	const rand = seeded(1);
	return Array.from({ length: 500 }, () => realisticAnswers(questions, rand));
}

/** Ten of the survey's likert5 questions, the required "overall" among them: a short QR visit. */
async function shortVisit(
	db: Database
): Promise<{ version: SurveyVersion; questions: ReturnType<typeof likertQuestions> }> {
	const version = (await loadRegistry(db)).current(SURVEY);
	if (!version) throw new Error(`survey ${SURVEY} is not loaded`);
	const likert = likertQuestions(version.definition);
	const required = likert.filter((q) => q.required);
	return { version, questions: [...required, ...likert.filter((q) => !q.required)].slice(0, 10) };
}

function post(agent: Agent, url: string, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'POST',
				agent,
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
			},
			(res) => {
				res.on('error', reject);
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.resume();
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function throughHttp(setup: Setup, db: Database, answers: Answers[]) {
	// One keep-alive socket per client: every client has its own connection, as real devices do.
	const agent = new Agent({ keepAlive: true, maxSockets: setup.concurrency });
	const statuses: Record<string, number> = {};
	let next = 0;
	const before = await countResponses(db);
	const serverCpu = setup.serverCpuSeconds();
	const clientCpu = process.cpuUsage();
	const started = performance.now();
	try {
		const stats = await closedLoop({
			concurrency: setup.concurrency,
			warmupMs: setup.warmupMs,
			durationMs: setup.durationMs,
			signal: interruption.signal,
			op: async () => {
				const body = JSON.stringify({
					id: randomUUID(),
					touchpoint: setup.code,
					answeredAt: new Date().toISOString(),
					locale: 'vi',
					answers: answers[next++ % answers.length]
				});
				// A refused connection counts against the run like an error status would.
				const status = await post(agent, `${setup.serverUrl}/api/v1/responses`, body).catch(
					() => 'error'
				);
				statuses[status] = (statuses[status] ?? 0) + 1;
				return status === 201;
			}
		});
		const wall = (performance.now() - started) / 1000;
		const client = process.cpuUsage(clientCpu);
		const serverCores = (setup.serverCpuSeconds() - serverCpu) / wall;
		const clientCores = (client.user + client.system) / 1e6 / wall;
		const non2xx = Object.entries(statuses)
			.filter(([s]) => !/^2\d\d$/.test(s))
			.reduce((sum, [, n]) => sum + n, 0);
		return {
			...stats,
			acknowledged: statuses['201'] ?? 0,
			stored: (await countResponses(db)) - before,
			non2xx,
			statuses,
			serverCores,
			clientCores
		};
	} finally {
		agent.destroy();
	}
}

async function countResponses(db: Database): Promise<number> {
	const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from responses`);
	return row?.n ?? 0;
}

export async function measureIngest(setup: Setup): Promise<IngestResult> {
	const db = connectPostgres({ url: setup.databaseUrl, poolSize: 2 });
	try {
		const { version, questions } = await shortVisit(db);
		const answers = answerPool(questions);
		const http = await throughHttp(setup, db, answers);
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
