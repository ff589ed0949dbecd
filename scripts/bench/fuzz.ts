// Hostile input for a fixed time (issue 7): the running server's JSON door, POST /api/v1/responses,
// gets mutated submissions from kiosks (with a paired device's token) and from QR clients
// (without): wrong types, huge strings, deep nesting, unknown and prototype keys, bytes that are
// not UTF-8, NFD Vietnamese, truncated JSON, wrong content types, oversized bodies, formula
// strings, bogus touchpoints, versions, dates, ids and headers. Any of it may be refused (4xx);
// none of it may make the server fail (5xx), and the server must still take a valid answer after.
// The cases come from one seeded generator (weird JSON values from fast-check with the same
// seed), so case number n is the same request in every run with that seed.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import type { Database } from '$lib/server/db/driver';
import { loadRegistry } from '$lib/server/surveys';
import { allQuestions, answerValues, type Question } from '$lib/survey/definition';
import { seeded, type Random } from './answers';
import { interruption } from './cleanup';
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

interface Case {
	kind: string;
	headers: Record<string, string>;
	/** One buffer with its length declared, or chunks sent without a length (chunked). */
	body: Buffer | Buffer[];
	/** An answer the case must get, where the case is valid on purpose. */
	expect?: number;
}

const CONCURRENCY = 8;
const TIMEOUT_MS = 15_000;
const LIMIT = 64 * 1024;

type Envelope = Record<string, unknown>;

const VIETNAMESE = [
	'Cán bộ hướng dẫn tận tình, chu đáo',
	'Thời gian chờ đợi hơi lâu',
	'Thủ tục rườm rà, phải đi lại nhiều lần',
	'Không hài lòng với thái độ phục vụ'
];
const FORMULAS = [
	'=HYPERLINK("http://evil.invalid","x")',
	'=1+1',
	'+SUM(A1:A9)',
	'-2+3',
	'@cmd',
	'\t=1',
	'\r=1',
	"=cmd|' /C calc'!A0"
];
const BAD_UTF8 = [
	[0xff],
	[0xc3, 0x28],
	[0xc0, 0xaf],
	[0xe0, 0x80, 0xaf],
	[0xed, 0xa0, 0x80],
	[0xf4, 0x90, 0x80, 0x80],
	[0x80],
	[0xe1, 0xba]
].map((b) => Buffer.from(b));
const CONTENT_TYPES = [
	null,
	'text/plain',
	'text/plain; charset=utf-8',
	'application/x-www-form-urlencoded',
	'multipart/form-data; boundary=x',
	'application/json; charset=latin1',
	'application/xml',
	'application/json, text/html',
	'*/*'
];
const DATES = [
	'0000-01-01T00:00:00Z',
	'0001-01-01T00:00:00Z',
	'9999-12-31T23:59:59-14:00',
	'9999-12-31T23:59:59Z',
	'1970-01-01T00:00:00Z',
	'2100-01-01T00:00:00+07:00',
	'2024-02-30T10:00:00Z',
	'2024-01-01T10:00:00',
	'2024-01-01',
	'2024-06-30T23:59:60Z',
	'2024-01-01T24:00:00Z',
	'2024-01-01T10:00:00+99:99',
	'2024-01-01T10:00:00.123456789Z',
	'+275760-09-13T00:00:00Z',
	'ngày 1 tháng 1'
];
const IDS = [
	'00000000-0000-0000-0000-000000000000',
	'ffffffff-ffff-ffff-ffff-ffffffffffff',
	'{6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c}',
	'6a3b0c1e1d2e4f5a8b9c0d1e2f3a4b5c',
	'6a3b0c1e-1d2e-1f5a-8b9c-0d1e2f3a4b5c',
	'6A3B0C1E-1D2E-4F5A-8B9C-0D1E2F3A4B5C',
	'6a3b0c1e-1d2e-4f5a-8b9c-0d1e2f3a4b5c\u0000',
	'x'.repeat(5000)
];
const LOCALES = ['EN', 'vi-VN', '', '__proto__', 'toString', 'vi\u0000', 'tiếng việt'];
const VERSIONS = [
	'0',
	'-1',
	'1.5',
	'999999',
	'9007199254740993',
	'"1"',
	'null',
	'1e400',
	'[]',
	'{}'
];
const TOUCHPOINTS = [
	'aaaaaaaa',
	'AAAAAAAA',
	'',
	'a'.repeat(65),
	'ab\u0000cd',
	'../../etc/passwd',
	"' or 1=1 --",
	'tiếng',
	'=1+1'
];
const RAW_BODIES = [
	'',
	'null',
	'[]',
	'1',
	'"x"',
	'\uFEFF{}',
	'{"id": 1, "id": 2}',
	'{"a":}',
	'NaN',
	'{"answers": 1e400}',
	'\u0000',
	'{'.repeat(2000),
	'{"__proto__": {"isAdmin": true}}',
	'{"constructor": {"prototype": {"x": 1}}}'
];

const pickOf = <T>(list: readonly T[], rand: Random): T => list[Math.floor(rand() * list.length)]!;

function uuid(rand: Random): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
	hex[12] = '4';
	hex[16] = '89ab'[Math.floor(rand() * 4)]!;
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function validAnswer(q: Question, rand: Random): unknown {
	switch (q.type) {
		case 'likert5':
			return q.allowNA && rand() < 0.1 ? 'NA' : 1 + Math.floor(rand() * 5);
		case 'rating3':
			return 1 + Math.floor(rand() * 3);
		case 'percent':
			return Math.floor(rand() * 101);
		case 'choice': {
			const options = answerValues(q) ?? [];
			return q.multiple ? options.slice(0, 1) : pickOf(options, rand);
		}
		case 'text':
			return pickOf(VIETNAMESE, rand);
	}
}

/** Nested arrays or objects this deep, as JSON text. */
function nested(depth: number, rand: Random): string {
	return rand() < 0.5
		? '['.repeat(depth) + ']'.repeat(depth)
		: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** The case generator: one seeded stream of requests. */
export function fuzzCases(
	seed: number,
	target: {
		qr: string;
		kiosk: { code: string; token: string };
		otherKiosk: { code: string; token: string };
		questions: Question[];
	}
) {
	const rand = seeded(seed);
	// Weird JSON values and strings from fast-check, drawn once from the same seed.
	const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed, numRuns: 400 });
	const strings = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), {
		seed: seed + 1,
		numRuns: 200
	});
	const weird = () => (rand() < 0.7 ? pickOf(values, rand) : pickOf(strings, rand));
	const sent: Envelope[] = [];
	const fields = ['id', 'touchpoint', 'answeredAt', 'locale', 'answers', 'version', 'partial'];
	const comment = target.questions.find((q) => q.type === 'text')?.id ?? 'comment';

	function envelope(kiosk: boolean): Envelope {
		const answers: Record<string, unknown> = {};
		for (const q of target.questions) {
			if (q.required || rand() < 0.6) answers[q.id] = validAnswer(q, rand);
		}
		return {
			id: uuid(rand),
			touchpoint: kiosk ? target.kiosk.code : target.qr,
			answeredAt: new Date(Date.now() - Math.floor(rand() * 3_600_000)).toISOString(),
			locale: rand() < 0.8 ? 'vi' : 'en',
			answers
		};
	}
	const headers = (kiosk: boolean, contentType: string | null = 'application/json') => {
		const h: Record<string, string> = {};
		if (contentType) h['content-type'] = contentType;
		if (kiosk) h.authorization = `Bearer ${target.kiosk.token}`;
		return h;
	};
	const text = (value: unknown) => Buffer.from(JSON.stringify(value));
	/** Replaces `"key": <anything>` of the JSON text by raw text (for values JSON.stringify can't make). */
	const withRaw = (e: Envelope, path: string[], raw: string) => {
		const marker = `raw-${randomUUID()}`;
		let at: Record<string, unknown> = e;
		for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
		at[path.at(-1)!] = marker;
		return Buffer.from(JSON.stringify(e).replace(`"${marker}"`, () => raw));
	};

	return function next(): Case {
		const kiosk = rand() < 0.5;
		const e = envelope(kiosk);
		const h = headers(kiosk);
		const r = rand();
		const kinds = [
			'valid',
			'replay',
			'conflict',
			'wrong-type',
			'answer-wrong-type',
			'unknown-key',
			'proto-key',
			'huge-string',
			'deep-nesting',
			'invalid-utf8',
			'nfd',
			'truncated',
			'content-type',
			'oversized',
			'formula',
			'touchpoint',
			'authorization',
			'version',
			'date',
			'id',
			'locale',
			'partial',
			'raw-body'
		] as const;
		const kind = kinds[Math.floor(r * kinds.length)]!;
		switch (kind) {
			case 'valid':
				sent.push(e);
				if (sent.length > 200) sent.shift();
				return { kind, headers: h, body: text(e), expect: 201 };
			case 'replay': {
				const earlier = sent.length ? pickOf(sent, rand) : e;
				const isKiosk = earlier.touchpoint === target.kiosk.code;
				return { kind, headers: headers(isKiosk), body: text(earlier) };
			}
			case 'conflict': {
				const earlier = sent.length ? pickOf(sent, rand) : e;
				const isKiosk = earlier.touchpoint === target.kiosk.code;
				const other = { ...envelope(isKiosk), id: earlier.id };
				return { kind, headers: headers(isKiosk), body: text(other) };
			}
			case 'wrong-type':
				e[pickOf(fields, rand)] = weird();
				return { kind, headers: h, body: text(e) };
			case 'answer-wrong-type': {
				const answers = e.answers as Record<string, unknown>;
				const q = pickOf(target.questions, rand);
				answers[q.id] = weird();
				if (rand() < 0.3) answers.overall = weird();
				return { kind, headers: h, body: text(e) };
			}
			case 'unknown-key': {
				const where = rand() < 0.5 ? e : (e.answers as Record<string, unknown>);
				const key = pickOf(['extra', 'Overall', 'overall ', 'ıd', 'answers2', '', '\u0000'], rand);
				where[rand() < 0.5 ? key : String(weird()).slice(0, 30)] = weird();
				return { kind, headers: h, body: text(e) };
			}
			case 'proto-key': {
				const key = pickOf(
					['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
					rand
				);
				const value = pickOf(
					['{"isAdmin":true}', '{"prototype":{"x":1}}', '1', 'null', '"NA"'],
					rand
				);
				const body = JSON.stringify(e);
				const raw =
					rand() < 0.5
						? body.replace('{', `{"${key}":${value},`)
						: body.replace('"answers":{', `"answers":{"${key}":${value},`);
				return { kind, headers: h, body: Buffer.from(raw) };
			}
			case 'huge-string': {
				const size = pickOf([1001, 4000, 20_000, 60_000], rand);
				const unit = rand() < 0.5 ? 'x' : 'Việt ';
				const value = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
				if (rand() < 0.5) (e.answers as Record<string, unknown>)[comment] = value;
				else e[pickOf(fields, rand)] = value;
				return { kind, headers: h, body: text(e) };
			}
			case 'deep-nesting': {
				const depth = pickOf([64, 1000, 10_000, 20_000], rand);
				const path = rand() < 0.5 ? ['answers', comment] : [pickOf(fields, rand)];
				return { kind, headers: h, body: withRaw(e, path, nested(depth, rand)) };
			}
			case 'invalid-utf8': {
				(e.answers as Record<string, unknown>)[comment] = 'MARK';
				const [before, after] = JSON.stringify(e).split('MARK') as [string, string];
				const bad = pickOf(BAD_UTF8, rand);
				const body =
					rand() < 0.7
						? Buffer.concat([Buffer.from(before), bad, Buffer.from(after)])
						: (() => {
								const whole = Buffer.from(before + 'ok' + after);
								const at = Math.floor(rand() * whole.length);
								return Buffer.concat([whole.subarray(0, at), bad, whole.subarray(at)]);
							})();
				return { kind, headers: h, body };
			}
			case 'nfd': {
				const nfd = pickOf(VIETNAMESE, rand).normalize('NFD');
				const slot = rand();
				if (slot < 0.6) (e.answers as Record<string, unknown>)[comment] = nfd;
				else if (slot < 0.8) e.locale = 'việt'.normalize('NFD');
				else e.touchpoint = nfd.slice(0, 20);
				return { kind, headers: h, body: text(e), expect: slot < 0.6 ? 201 : undefined };
			}
			case 'truncated': {
				const whole = text(e);
				return { kind, headers: h, body: whole.subarray(0, Math.floor(rand() * whole.length)) };
			}
			case 'content-type':
				return { kind, headers: headers(kiosk, pickOf(CONTENT_TYPES, rand)), body: text(e) };
			case 'oversized': {
				const size = pickOf([LIMIT + 1, LIMIT * 4, 1024 * 1024], rand);
				(e.answers as Record<string, unknown>)[comment] = 'x'.repeat(size);
				const body = text(e);
				if (rand() < 0.5) return { kind, headers: h, body };
				// No declared length: the server must stop reading the stream at the limit.
				const chunks: Buffer[] = [];
				for (let i = 0; i < body.length; i += 16 * 1024)
					chunks.push(body.subarray(i, i + 16 * 1024));
				return { kind, headers: h, body: chunks };
			}
			case 'formula': {
				const f = pickOf(FORMULAS, rand);
				const slot = rand();
				if (slot < 0.6) (e.answers as Record<string, unknown>)[comment] = f;
				else e[pickOf(['touchpoint', 'locale', 'id', 'answeredAt'], rand)] = f;
				return { kind, headers: h, body: text(e), expect: slot < 0.6 ? 201 : undefined };
			}
			case 'touchpoint': {
				const slot = rand();
				if (slot < 0.5) e.touchpoint = pickOf(TOUCHPOINTS, rand);
				else if (slot < 0.7)
					e.touchpoint = target.kiosk.code; // without a token
				else if (slot < 0.85)
					e.touchpoint = target.otherKiosk.code; // another tablet's token
				else e.touchpoint = target.qr; // a QR code with a kiosk's token
				const hh = headers(slot >= 0.7);
				return { kind, headers: hh, body: text(e) };
			}
			case 'authorization': {
				e.touchpoint = target.kiosk.code;
				const token = target.kiosk.token;
				const auth = pickOf(
					[
						'Bearer',
						'Bearer ',
						`bearer ${token}`,
						`Bearer  ${token}`,
						`Bearer ${token} extra`,
						`Bearer ${token.toUpperCase()}`,
						`Basic ${Buffer.from('a:b').toString('base64')}`,
						`Bearer ${'dv_'.padEnd(35, 'a')}`,
						`Bearer ${'x'.repeat(8000)}`,
						`Bearer ${token.slice(0, -1)}\u00e9`
					],
					rand
				);
				return {
					kind,
					headers: { 'content-type': 'application/json', authorization: auth },
					body: text(e)
				};
			}
			case 'version': {
				e.touchpoint = target.kiosk.code;
				return {
					kind,
					headers: headers(true),
					body: withRaw(e, ['version'], pickOf(VERSIONS, rand))
				};
			}
			case 'date':
				e.answeredAt = pickOf(DATES, rand);
				return { kind, headers: h, body: text(e) };
			case 'id':
				e.id = pickOf(IDS, rand);
				return { kind, headers: h, body: text(e) };
			case 'locale':
				e.locale = pickOf(LOCALES, rand);
				return { kind, headers: h, body: text(e) };
			case 'partial':
				e.partial = rand() < 0.8 ? true : weird();
				if (rand() < 0.5) e.answers = {};
				return { kind, headers: h, body: text(e) };
			case 'raw-body':
				return { kind, headers: h, body: Buffer.from(pickOf(RAW_BODIES, rand)) };
		}
	};
}

interface Answer {
	status: number | string;
	body: string;
}

function send(agents: { keepAlive: Agent; once: Agent }, url: string, c: Case): Promise<Answer> {
	// A body over the limit is answered 413 before it is read, and the connection closed: sent on
	// a connection of its own, so the close cannot hit the next case on a reused socket.
	const oversized = Array.isArray(c.body) || c.body.length > LIMIT;
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
