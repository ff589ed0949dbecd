// Hostile input for a fixed time: the running server's JSON door, POST /api/v1/responses,
// gets mutated submissions from kiosks (with a paired device's token) and from QR clients
// (without): wrong types, huge strings, deep nesting, unknown and prototype keys, bytes that are
// not UTF-8, NFD Vietnamese, truncated JSON, wrong content types, oversized bodies, formula
// strings, bogus touchpoints, versions, dates, ids and headers. Any of it may be refused (4xx);
// none of it may make the server fail (5xx), and the server must still take a valid answer after.
// The cases come from one seeded generator (fuzz-cases.ts), so a run that found something can be
// replayed with its seed.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Database } from '$lib/server/db';
import { loadRegistry } from '$lib/server/surveys';
import { allQuestions } from '$lib/survey/definition';
import { seeded } from './answers';
import { interruption } from './cleanup';
import { BODY_LIMIT, fuzzCases, type Case } from './fuzz-cases';
import { validAnswer } from './fuzz-values';
import { SURVEY } from './options';
import type { RunningServer } from './server';
import { pairedKiosk } from './traffic';

export interface FuzzResult {
	seed: number;
	seconds: number;
	concurrency: number;
	sent: number;
	/** Answers by HTTP status; failures to get one as `error:CODE` or `timeout`. */
	byStatus: Record<string, number>;
	/** Cases by kind of mutation, each with its answers by status. */
	byKind: Record<string, Record<string, number>>;
	serverErrors: number;
	/** The first few 5xx answers, with the case that drew them. */
	firstServerErrors: {
		case: number;
		kind: string;
		status: number;
		request: string;
		body: string;
	}[];
	after: { healthz: number; submission: number };
	rssBeforeBytes: number;
	rssAfterBytes: number;
	peakRssBytes: number;
}

const CONCURRENCY = 8;
const TIMEOUT_MS = 15_000;

interface Answer {
	status: number | string;
	body: string;
}

function send(agents: { keepAlive: Agent; once: Agent }, url: string, c: Case): Promise<Answer> {
	// A body over the limit is answered 413 before it is read, and the connection closed: sent on
	// a connection of its own, so the close cannot hit the next case on a reused socket.
	const oversized = Array.isArray(c.body) || c.body.length > BODY_LIMIT;
	const agent = oversized ? agents.once : agents.keepAlive;
	return new Promise((resolve) => {
		let settled = false;
		const done = (a: Answer) => {
			if (!settled) {
				settled = true;
				resolve(a);
			}
		};
		const chunked = Array.isArray(c.body);
		const req = request(
			url,
			{
				method: 'POST',
				agent,
				timeout: TIMEOUT_MS,
				headers: chunked
					? c.headers
					: { ...c.headers, 'content-length': String((c.body as Buffer).length) }
			},
			(res) => {
				const parts: Buffer[] = [];
				res.on('data', (chunk: Buffer) => parts.push(chunk));
				res.on('error', () => done({ status: res.statusCode ?? 0, body: '' }));
				res.on('end', () =>
					done({
						status: res.statusCode ?? 0,
						body: Buffer.concat(parts).toString().slice(0, 2000)
					})
				);
			}
		);
		req.on('timeout', () => {
			req.destroy();
			done({ status: 'timeout', body: '' });
		});
		// A server that answers 413 and closes may cut off the rest of the body: that is fine.
		req.on('error', (error: NodeJS.ErrnoException) =>
			done({ status: `error:${error.code ?? error.message}`, body: '' })
		);
		if (chunked) {
			for (const chunk of c.body as Buffer[]) req.write(chunk);
			req.end();
		} else req.end(c.body);
	});
}

const show = (body: Buffer | Buffer[]) => {
	const whole = Array.isArray(body) ? Buffer.concat(body) : body;
	const shown = JSON.stringify(whole.subarray(0, 300).toString('latin1'));
	return whole.length > 300 ? `${shown}… (${whole.length} bytes)` : shown;
};

export async function measureFuzz({
	server,
	db,
	qrCode,
	seconds,
	seed
}: {
	server: RunningServer;
	db: Database;
	qrCode: string;
	seconds: number;
	seed: number;
}): Promise<FuzzResult> {
	const version = (await loadRegistry(db)).current(SURVEY);
	if (!version) throw new Error(`survey ${SURVEY} is not loaded`);
	const kiosk = await pairedKiosk(db, qrCode);
	const otherKiosk = await pairedKiosk(db, qrCode);
	const questions = allQuestions(version.definition);
	const next = fuzzCases(seed, { qr: qrCode, kiosk, otherKiosk, questions });
	const url = `${server.url}/api/v1/responses`;
	const agents = {
		keepAlive: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
		once: new Agent({ keepAlive: false })
	};
	const result: FuzzResult = {
		seed,
		seconds,
		concurrency: CONCURRENCY,
		sent: 0,
		byStatus: {},
		byKind: {},
		serverErrors: 0,
		firstServerErrors: [],
		after: { healthz: 0, submission: 0 },
		rssBeforeBytes: server.rss(),
		rssAfterBytes: 0,
		peakRssBytes: 0
	};
	const unexpected: string[] = [];
	const deadline = performance.now() + seconds * 1000;
	let caseNo = 0;
	async function client() {
		while (performance.now() < deadline && !interruption.signal.aborted) {
			const n = caseNo++;
			const c = next();
			const answer = await send(agents, url, c);
			const status = String(answer.status);
			result.sent += 1;
			result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
			const byKind = (result.byKind[c.kind] ??= {});
			byKind[status] = (byKind[status] ?? 0) + 1;
			if (typeof answer.status === 'number' && answer.status >= 500) {
				result.serverErrors += 1;
				if (result.firstServerErrors.length < 5) {
					result.firstServerErrors.push({
						case: n,
						kind: c.kind,
						status: answer.status,
						request: show(c.body),
						body: answer.body
					});
				}
			}
			if (c.expect && answer.status !== c.expect && unexpected.length < 5)
				unexpected.push(`case ${n} (${c.kind}): ${answer.status} ${answer.body.slice(0, 200)}`);
		}
	}
	try {
		await Promise.all(Array.from({ length: CONCURRENCY }, client));
	} finally {
		agents.keepAlive.destroy();
		agents.once.destroy();
	}
	for (const e of result.firstServerErrors) {
		process.stderr.write(
			`  5xx: case ${e.case} (${e.kind}) → ${e.status} ${e.body}\n    request: ${e.request}\n`
		);
	}
	for (const u of unexpected) process.stderr.write(`  a valid case was refused: ${u}\n`);

	result.after.healthz = await fetch(`${server.url}/healthz`).then(
		(r) => r.status,
		() => 0
	);
	const rand = seeded(seed);
	const answers: Record<string, unknown> = {};
	for (const q of questions) if (q.required) answers[q.id] = validAnswer(q, rand);
	result.after.submission = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${kiosk.token}` },
		body: JSON.stringify({
			id: randomUUID(),
			touchpoint: kiosk.code,
			answeredAt: new Date().toISOString(),
			locale: 'vi',
			answers
		})
	}).then(
		(r) => r.status,
		() => 0
	);
	result.rssAfterBytes = server.rss();
	result.peakRssBytes = server.peakRss();
	return result;
}
