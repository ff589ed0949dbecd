// Properties of the CSV import parser: any bytes are answered row by row, valid files are kept.
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCsv } from '../../src/lib/server/paper';
import { localDate } from '../../src/lib/survey/periods';
import { canonical, questions, validAnswers } from './arbitraries';
import { openHostile, type Hostile } from './context';

let h: Hostile;
beforeAll(async () => {
	h = await openHostile();
});
afterAll(() => h.app.db.close());

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
/** One to five rows, no id given twice. */
const paperRows = fc.uniqueArray(paperRow, {
	selector: (r) => r.id ?? r,
	minLength: 1,
	maxLength: 5
});

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
		await fc.assert(
			fc.asyncProperty(
				paperRows,
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
		await fc.assert(
			fc.asyncProperty(
				paperRows,
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
