// Properties of the response validator: the JSON API and the `prepare` behind every channel.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/lib/server/db';
import { prepare } from '../../src/lib/server/responses';
import type { SurveyVersion } from '../../src/lib/server/surveys';
import {
	ENVELOPE,
	respectsSurvey,
	validAnswer,
	validAnswers,
	canonical,
	objectText,
	questions,
	jsonText,
	entry,
	mostly,
	maybe,
	rarely
} from './arbitraries';
import { openHostile, type Hostile } from './context';
import { api } from './doors';

let h: Hostile;
let version: SurveyVersion;
beforeAll(async () => {
	h = await openHostile();
	version = h.app.surveys.current('test-hostile')!;
});
afterAll(() => h.app.db.close());

const baseEnvelope = () => ({
	id: crypto.randomUUID(),
	touchpoint: h.qr.code,
	answeredAt: new Date().toISOString(),
	locale: 'vi'
});

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
