// The fuzz's cases: one seeded generator of mutated submissions to POST /api/v1/responses (weird
// JSON values from fast-check with the same seed), so case number n is the same request in every
// run with that seed.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Question } from '$lib/survey/definition';
import { seeded } from './answers';
import {
	BAD_UTF8,
	CONTENT_TYPES,
	DATES,
	FORMULAS,
	IDS,
	LOCALES,
	RAW_BODIES,
	TOUCHPOINTS,
	VERSIONS,
	VIETNAMESE,
	nested,
	pickOf,
	uuid,
	validAnswer
} from './fuzz-values';

export interface Case {
	kind: string;
	headers: Record<string, string>;
	/** One buffer with its length declared, or chunks sent without a length (chunked). */
	body: Buffer | Buffer[];
	/** An answer the case must get, where the case is valid on purpose. */
	expect?: number;
}

/** The server's cap on a JSON body: the oversized cases go past it. */
export const BODY_LIMIT = 64 * 1024;
/** Cases sent after one that may still be unanswered: well above the fuzz's 8 clients. */
const IN_FLIGHT_MARGIN = 32;

type Envelope = Record<string, unknown>;

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
		// Replays and conflicts take a case sent a while ago: one still in flight could reach the
		// server first, and its original would then (rightly) be answered as the replay.
		const answered = sent.slice(0, -IN_FLIGHT_MARGIN);
		switch (kind) {
			case 'valid':
				sent.push(e);
				if (sent.length > 200) sent.shift();
				return { kind, headers: h, body: text(e), expect: 201 };
			case 'replay': {
				const earlier = answered.length ? pickOf(answered, rand) : e;
				const isKiosk = earlier.touchpoint === target.kiosk.code;
				return { kind, headers: headers(isKiosk), body: text(earlier) };
			}
			case 'conflict': {
				const earlier = answered.length ? pickOf(answered, rand) : e;
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
				const size = pickOf([BODY_LIMIT + 1, BODY_LIMIT * 4, 1024 * 1024], rand);
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
