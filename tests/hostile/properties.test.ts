// Properties of the two doors hostile input comes through in bulk: the response validator (the
// JSON API and the `prepare` behind every channel) and the CSV import parser.
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db';
import { checkCsv } from '../../src/lib/server/import';
import { prepare } from '../../src/lib/server/responses';
import type { SurveyVersion } from '../../src/lib/server/surveys';
import { NA } from '../../src/lib/survey/answers';
import { allQuestions, surveyDefinition, type Question } from '../../src/lib/survey/definition';
import { localDate } from '../../src/lib/survey/periods';
import { isShown } from '../../src/lib/survey/visibility';
import { hostileSurvey, openHostile, type Hostile } from './context';
import { api } from './doors';

const questions = allQuestions(surveyDefinition.parse(hostileSurvey));
let h: Hostile;
let version: SurveyVersion;
beforeAll(async () => {
	h = await openHostile();
	version = h.app.surveys.current('test-hostile')!;
});
afterAll(() => h.app.db.close());

const ENVELOPE = ['id', 'touchpoint', 'answeredAt', 'locale', 'answers', 'version', 'partial'];

/** Whether stored answers keep the survey's rules: known, shown questions and allowed values. */
function respectsSurvey(answers: Record<string, unknown>) {
	const byId = new Map(questions.map((q) => [q.id, q]));
	return Object.entries(answers).every(([id, v]) => {
		const q = byId.get(id);
		if (!q || !isShown(q, answers)) return false;
		if (v === NA) return q.allowNA || q.type === 'text';
		switch (q.type) {
			case 'likert5':
			case 'rating3':
				return (
					Number.isInteger(v) &&
					(v as number) >= 1 &&
					(v as number) <= (q.type === 'likert5' ? 5 : 3)
				);
			case 'percent':
				return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100;
			case 'choice': {
				const options = q.options.map((o) => o.value);
				return q.multiple
					? Array.isArray(v) && v.length > 0 && v.every((x) => options.includes(x))
					: options.includes(v as string);
			}
			case 'text':
				return typeof v === 'string' && v === v.normalize('NFC').trim() && v.length > 0;
		}
	});
}

// Letters a Vietnamese comment is made of, composed and decomposed, and the characters that
// break naive CSV or HTML handling.
const textUnit = fc.constantFrom(
	...'aăâeêiouươy AĂÂĐ,;"\'|=+-@<>\n\t'.split(''),
	'à',
	'a\u0300',
	'ệ',
	'e\u0323\u0302',
	'ữ'
);
const text = fc.string({ unit: textUnit, maxLength: 60 });

/** A valid answer to one question. */
function validAnswer(q: Question): fc.Arbitrary<unknown> {
	const na = q.allowNA ? [fc.constant(NA)] : [];
	switch (q.type) {
		case 'likert5':
			return fc.oneof(fc.integer({ min: 1, max: 5 }), ...na);
		case 'rating3':
			return fc.oneof(fc.integer({ min: 1, max: 3 }), ...na);
		case 'percent':
			return fc.oneof(fc.integer({ min: 0, max: 100 }), ...na);
		case 'choice': {
			const options = q.options.map((o) => o.value);
			return q.multiple
				? fc.shuffledSubarray(options, { minLength: 1 })
				: fc.constantFrom(...options);
		}
		case 'text':
			return text.filter((t) => t.trim() !== '');
	}
}

/** A valid set of answers: the required question and any of the others. */
const validAnswers = fc.record(Object.fromEntries(questions.map((q) => [q.id, validAnswer(q)])), {
	requiredKeys: questions.filter((q) => q.required).map((q) => q.id)
}) as fc.Arbitrary<Record<string, unknown>>;

/** What the survey keeps of valid answers: NFC trimmed text, options in order, shown questions. */
function canonical(answers: Record<string, unknown>) {
	const out: Record<string, unknown> = {};
	for (const q of questions) {
		const v = answers[q.id];
		if (v === undefined || !isShown(q, out)) continue;
		if (q.type === 'text') out[q.id] = (v as string).normalize('NFC').trim();
		else if (q.type === 'choice' && q.multiple)
			out[q.id] = q.options.map((o) => o.value).filter((o) => (v as string[]).includes(o));
		else out[q.id] = v;
	}
	return out;
}

/** JSON text of an object from its keys and the JSON text of each value: `__proto__` included. */
const objectText = (entries: [string, string][]) =>
	`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
const jsonText = (v: unknown) => JSON.stringify(v) ?? 'null';
const entry = (key: string, value: unknown): [string, string] => [key, jsonText(value)];

/** What a client usually sends, and now and then something else. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
	fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: other });
/** Present half of the time. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** Present one time in ten. */
const rarely = <T>(arb: fc.Arbitrary<T>) => mostly(fc.constant(undefined), arb);

describe('the response validator', () => {
	it('never throws on any value, and accepts only answers that keep the survey rules', () => {
		const input = fc.oneof(
			fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
			fc.dictionary(fc.constantFrom(...questions.map((q) => q.id), '__proto__'), fc.anything())
		);
		const outcomes = new Set<boolean>();
		fc.assert(
			fc.property(input, fc.boolean(), (answers, partial) => {
				const result = prepare(version, {
					id: crypto.randomUUID(),
					touchpointId: null,
					unitCode: 'AG.LX',
					rootUnit: 'AG',
					channel: 'qr',
					locale: 'vi',
					reportedAt: null,
					receivedAt: new Date(),
					answers,
					where: 'property',
					partial
				});
				outcomes.add(result.ok);
				if (result.ok) expect(respectsSurvey(result.row.answers)).toBe(true);
				else expect(result.errors.length).toBeGreaterThan(0);
			}),
			{ numRuns: 500 }
		);
		expect(outcomes.size).toBe(2);
	});

	it('answers any JSON body with a 2xx or a 4xx, never a 5xx, and stores only what the survey allows', async () => {
		const junk = fc.oneof(
			fc.constantFrom(0, 6, -1, 3.5, '3', '', [], null, 1e308, 'NA', { prototype: { x: 1 } }),
			fc.jsonValue({ maxDepth: 2 })
		);
		const extraKey = fc.oneof(
			fc.constantFrom('__proto__', 'constructor', 'agency_id', 'verified'),
			fc.string({ maxLength: 8 })
		);
		const answers = fc
			.tuple(
				...questions.map((q) => maybe(mostly(validAnswer(q), junk).map((v) => entry(q.id, v)))),
				rarely(fc.tuple(extraKey, junk).map(([k, v]) => entry(k, v)))
			)
			.map((entries) => objectText(entries.filter((e) => e !== undefined)));
		const envelope = fc
			.tuple(
				mostly(fc.uuid({ version: 4 }), fc.string({ maxLength: 40 })).map((v) => entry('id', v)),
				mostly(fc.constant(h.qr.code), fc.oneof(fc.constant(h.kiosk.code), fc.string())).map((v) =>
					entry('touchpoint', v)
				),
				mostly(
					fc
						.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
						.map((d) => d.toISOString()),
					fc.string({ maxLength: 30 })
				).map((v) => entry('answeredAt', v)),
				maybe(
					mostly(fc.constantFrom('vi', 'en'), fc.constantFrom('fr', '')).map((v) =>
						entry('locale', v)
					)
				),
				maybe(
					mostly(fc.constant(1), fc.oneof(fc.integer(), fc.constant('1'))).map((v) =>
						entry('version', v)
					)
				),
				maybe(mostly(fc.constant(false), fc.constant(true)).map((v) => entry('partial', v))),
				mostly(answers, junk.map(jsonText)).map((text): [string, string] => ['answers', text]),
				rarely(fc.tuple(extraKey, junk).map(([k, v]) => entry(k, v)))
			)
			.map((entries) => objectText(entries.filter((e) => e !== undefined)));
		const body = fc.oneof(
			{ weight: 8, arbitrary: envelope },
			{ weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
			{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }
		);
		const seen = new Set<number>();
		await fc.assert(
			fc.asyncProperty(body, async (text) => {
				const reply = await api(text);
				seen.add(reply.status);
				expect([200, 201, 400, 401, 409, 422]).toContain(reply.status);
				if (reply.status >= 400) {
					for (const e of reply.data.errors) expect(e.message).not.toMatch(/^errors\./);
					return;
				}
				// Stored: so every key was one the contract allows, `__proto__` being no exception.
				const sent = JSON.parse(text) as Record<string, Record<string, unknown>>;
				expect(Object.keys(sent).every((k) => ENVELOPE.includes(k))).toBe(true);
				expect(Object.keys(sent.answers!).every((k) => questions.some((q) => q.id === k))).toBe(
					true
				);
				const [row] = await h.app.db.query<{ answers: Record<string, unknown> }>(
					sql`select answers from responses where id = ${reply.data.id}::uuid`
				);
				expect(respectsSurvey(row!.answers)).toBe(true);
			}),
			{ numRuns: 300 }
		);
		// Both ways out were taken: the property did not pass by refusing everything.
		expect([...seen].filter((s) => s === 201 || s === 422)).toHaveLength(2);
		expect(Object.prototype).not.toHaveProperty('polluted');
	});

	it('stores any valid answers in their canonical form, and a replay of them once', async () => {
		await fc.assert(
			fc.asyncProperty(validAnswers, async (answers) => {
				const body = { ...baseEnvelope(), answers };
				const first = await api(body);
				expect(first.status).toBe(201);
				expect((await api(body)).data).toEqual({ id: body.id, status: 'duplicate' });
				const [row] = await h.app.db.query<{ answers: Record<string, unknown> }>(
					sql`select answers from responses where id = ${body.id}::uuid`
				);
				expect(row!.answers).toEqual(canonical(answers));
			}),
			{ numRuns: 100 }
		);
	});
});

const baseEnvelope = () => ({
	id: crypto.randomUUID(),
	touchpoint: h.qr.code,
	answeredAt: new Date().toISOString(),
	locale: 'vi'
});

// CSV: RFC 4180 quoting, as a spreadsheet writes it.
const cell = (v: string) =>
	/[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;

/** A paper questionnaire as a row of the import file. */
const paperRow = fc.record({
	id: fc.option(fc.uuid({ version: 4 }), { nil: undefined }),
	unit: fc.constantFrom('AG.LX', 'AG.CD', 'AG.LX.BD'),
	at: fc.oneof(
		fc
			.date({ min: new Date('2019-01-01'), max: new Date('2026-10-31'), noInvalidDate: true })
			.map((d) => d.toISOString().slice(0, 10)),
		fc
			.date({ min: new Date('2019-01-01'), max: new Date('2026-10-31'), noInvalidDate: true })
			.map((d) => d.toISOString())
	),
	answers: validAnswers
});
type PaperRow = typeof paperRow extends fc.Arbitrary<infer T> ? T : never;

function csvOf(rows: PaperRow[], { bom = false, eol = '\r\n' } = {}) {
	const columns = ['survey', 'unit', 'answered_at', 'id', ...questions.map((q) => q.id)];
	const line = (r: PaperRow) =>
		[
			'test-hostile',
			r.unit,
			r.at,
			r.id ?? '',
			...questions.map((q) => {
				const v = r.answers[q.id as keyof typeof r.answers];
				return v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v);
			})
		]
			.map(cell)
			.join(',');
	return (bom ? '\uFEFF' : '') + [columns.join(','), ...rows.map(line)].join(eol) + eol;
}

const check = (input: string | Uint8Array) =>
	checkCsv(h.app.db, h.app.surveys, Readable.from([Buffer.from(input)]));

describe('the CSV import parser', () => {
	it('never throws on arbitrary bytes or text, and numbers every error by row', async () => {
		const csvish = fc
			.array(
				fc.oneof(
					fc.constantFrom(
						'survey',
						'unit',
						'answered_at',
						'q1',
						'test-hostile',
						'AG.LX',
						'2026-01-02'
					),
					fc.constantFrom(',', '"', '\n', '\r\n', '\r', '\uFEFF', '__proto__', 'NA', '|'),
					fc.string({ unit: 'binary', maxLength: 6 })
				),
				{ maxLength: 40 }
			)
			.map((parts) => parts.join(''));
		const input = fc.oneof(
			fc.uint8Array({ maxLength: 300 }),
			csvish,
			fc.string({ unit: 'binary' })
		);
		await fc.assert(
			fc.asyncProperty(input, async (bytes) => {
				const result = await check(bytes);
				for (const e of result.errors) {
					expect(Number.isInteger(e.row) && e.row >= 1 && e.row <= result.rows + 2).toBe(true);
					expect(typeof e.column).toBe('string');
					expect(e.message).not.toMatch(/^(errors|import)\./);
				}
				if (!result.errors.length) expect(result.prepared).toHaveLength(result.rows);
			}),
			{ numRuns: 300 }
		);
	});

	it('reads back every valid row as written: unit, date, id and canonical answers', async () => {
		const rows = fc.uniqueArray(paperRow, {
			selector: (r) => r.id ?? r,
			minLength: 1,
			maxLength: 5
		});
		await fc.assert(
			fc.asyncProperty(
				rows,
				fc.boolean(),
				fc.constantFrom('\n', '\r\n'),
				async (list, bom, eol) => {
					const result = await check(csvOf(list, { bom, eol }));
					expect(result.errors).toEqual([]);
					expect(
						result.prepared.map((p) => ({
							unit: p.unitCode,
							date: p.localDate,
							answers: p.answers
						}))
					).toEqual(
						list.map((r) => ({
							unit: r.unit,
							date: r.at.length === 10 ? r.at : localDate(new Date(r.at)),
							answers: canonical(r.answers)
						}))
					);
					list.forEach((r, i) => r.id && expect(result.prepared[i]!.id).toBe(r.id));
				}
			),
			{ numRuns: 150 }
		);
	});

	it('reports a bad cell at its own row and column, the header being row 1', async () => {
		const rows = fc.uniqueArray(paperRow, {
			selector: (r) => r.id ?? r,
			minLength: 1,
			maxLength: 5
		});
		await fc.assert(
			fc.asyncProperty(
				rows,
				fc.nat(),
				fc.constantFrom('0', '6', 'x', '3.5', '-1'),
				async (list, n, bad) => {
					const k = n % list.length;
					const broken = list.map((r, i) =>
						i === k ? { ...r, answers: { ...r.answers, q1: bad } } : r
					);
					const result = await check(csvOf(broken as PaperRow[]));
					expect(result.errors.map((e) => [e.row, e.column])).toEqual([[k + 2, 'q1']]);
				}
			),
			{ numRuns: 100 }
		);
	});
});
