// Catalogue cases 6–12: what the answers of one submission may hold — unknown or hidden
// questions, values out of range, bad options, blanks, extra and prototype-polluting keys.
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { sql } from '../../src/lib/server/db';
import { importCsv } from '../../src/lib/server/paper';
import { paths, storesNothing, submission, type HostileCase } from './context';
import { answersOf, api, form, newestAnswers, previewImport } from './doors';

export const answerCases: HostileCase[] = [
	{
		case: 6,
		title: 'an answer to a question not in the survey, or from another survey, is a 422',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				const reply = await api(
					submission(h.qr, { answers: { q1: 4, q9: 1, a1_signs_to_hospital: 5 } })
				);
				expect([reply.status, paths(reply)]).toEqual([
					422,
					['answers.q9', 'answers.a1_signs_to_hospital']
				]);
				expect(reply.data.errors[0].message).toBe('Câu hỏi không có trong phiếu khảo sát này.');
				const csv =
					'survey,unit,answered_at,q1,a1_signs_to_hospital\ntest-hostile,AG.LX,2026-06-01,4,5\n';
				const preview = await previewImport(h, csv);
				expect(preview.status).toBe(400);
				expect(preview.data.preview.errors).toEqual([
					{
						row: 2,
						column: 'a1_signs_to_hospital',
						message: 'Câu hỏi không có trong phiếu khảo sát này.'
					}
				]);
			});
			// The form's fields are the questions' names: anything else never reaches the answers.
			expect((await form(h.qr, { q1: '4', a1_signs_to_hospital: '5' })).status).toBe(303);
			expect(await newestAnswers(h)).toEqual({ q1: 4 });
		}
	},
	{
		case: 7,
		title: 'an answer to a question hidden by skip logic is dropped the same way on every door',
		run: async (h) => {
			const hidden = { q1: 4, visits: '1', q3: 2 };
			const s = submission(h.qr, { answers: hidden });
			expect((await api(s)).status).toBe(201);
			expect(await answersOf(h, s.id)).toEqual({ q1: 4, visits: '1' });
			const posted = await form(h.qr, { q1: '4', visits: '1', q3: '2' });
			expect(posted.status).toBe(303);
			expect(await newestAnswers(h)).toEqual({ q1: 4, visits: '1' });
			const id = crypto.randomUUID();
			const csv = `survey,unit,answered_at,id,q1,visits,q3\ntest-hostile,AG.LX,2026-06-01,${id},4,1,2\n`;
			expect(await importCsv(h.app.db, h.app.surveys, Readable.from([csv]))).toMatchObject({
				ok: true,
				stored: 1
			});
			expect(await answersOf(h, id)).toEqual({ q1: 4, visits: '1' });
		}
	},
	{
		case: 8,
		title: 'a scale answer of 0, 6, -1, 3.5, "3", NaN or 1e309 is refused',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				for (const value of [0, 6, -1, 3.5, '3', true, [4], { v: 4 }]) {
					const reply = await api(submission(h.qr, { answers: { q1: value } }));
					expect([reply.status, paths(reply)], JSON.stringify(value)).toEqual([
						422,
						['answers.q1']
					]);
				}
				const text = JSON.stringify(submission(h.qr, { answers: { q1: 0 } }));
				// 1e309 parses as Infinity; NaN is not JSON at all.
				expect((await api(text.replace('"q1":0', '"q1":1e309'))).status).toBe(422);
				expect((await api(text.replace('"q1":0', '"q1":NaN'))).status).toBe(400);
				for (const value of ['0', '6', '-1', '3.5', 'NaN', '1e309', 'Infinity']) {
					const posted = await form(h.qr, { q1: value });
					expect([posted.status, posted.data.errors], value).toEqual([
						422,
						{ q1: 'Chọn một mức từ 1 đến 5.' }
					]);
				}
			});
		}
	},
	{
		case: 9,
		title: 'an unknown option, a repeated option or more options than the list holds is a 422',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				const answers = [
					{ visits: '9' },
					{ visits: ['1'] },
					{ channels: ['web', 'fax'] },
					{ channels: ['web', 'web'] },
					{ channels: ['web', 'phone', 'counter', 'web'] },
					{ channels: 'web' }
				];
				for (const a of answers) {
					const reply = await api(submission(h.qr, { answers: { q1: 4, ...a } }));
					expect([reply.status, paths(reply)]).toEqual([422, [`answers.${Object.keys(a)[0]}`]]);
				}
				const twice = await form(h.qr, [
					['q1', '4'],
					['channels', 'web'],
					['channels', 'web']
				]);
				expect([twice.status, twice.data.errors]).toEqual([
					422,
					{ channels: 'Mỗi phương án chỉ được chọn một lần.' }
				]);
				expect((await form(h.qr, { q1: '4', visits: '9' })).status).toBe(422);
			});
		}
	},
	{
		case: 10,
		title:
			'a required question missing or blank is a 422; only a kiosk may send a partial response',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				for (const answers of [{}, { q1: '' }, { q1: '   ' }, { q1: null }, { q1: [] }]) {
					const reply = await api(submission(h.qr, { answers }));
					expect([reply.status, reply.data.errors]).toEqual([
						422,
						[{ path: 'answers.q1', message: 'Xin Ông/Bà trả lời câu này.' }]
					]);
				}
				expect((await form(h.qr, { q1: '', q2: '4' })).status).toBe(422);
				const draft = await api(submission(h.qr, { answers: { q2: 4 }, partial: true }));
				expect([draft.status, paths(draft)]).toEqual([422, ['partial']]);
			});
		}
	},
	{
		case: 11,
		title:
			'extra keys (agency_id, created_at, verified, hiddenFields) are refused or ignored, never stored',
		run: async (h) => {
			const extra = {
				agency_id: 'AG.CD',
				created_at: '2001-01-01T00:00:00Z',
				verified: true,
				hiddenFields: { unit: 'AG.CD' }
			};
			await storesNothing(h.app, async () => {
				const envelope = await api({ ...submission(h.qr), ...extra });
				expect([envelope.status, paths(envelope).sort()]).toEqual([
					422,
					['agency_id', 'created_at', 'hiddenFields', 'verified']
				]);
				const inAnswers = await api(submission(h.qr, { answers: { q1: 4, ...extra } }));
				expect(inAnswers.status).toBe(422);
			});
			const fields = Object.entries(extra).map(([k, v]): [string, string] => [k, String(v)]);
			expect((await form(h.qr, [['q1', '4'], ...fields])).status).toBe(303);
			const [row] = await h.app.db.query<Record<string, unknown>>(
				sql`select * from responses order by received_at desc limit 1`
			);
			expect(row!.unit_code).toBe('AG.LX');
			expect(row!.answers).toEqual({ q1: 4 });
			expect(JSON.stringify(row)).not.toMatch(/AG\.CD|2001-01-01/);
		}
	},
	{
		case: 12,
		title: '__proto__ and constructor.prototype keys are refused and pollute nothing',
		run: async (h) => {
			const body = (answers: string, extra = '') =>
				`{"id":"${crypto.randomUUID()}","touchpoint":"${h.qr.code}","answeredAt":"${new Date().toISOString()}",${extra}"answers":${answers}}`;
			await storesNothing(h.app, async () => {
				const cases: [string, string][] = [
					[body('{"q1":4}', '"__proto__":{"polluted":"yes"},'), '__proto__'],
					[body('{"q1":4}', '"constructor":{"prototype":{"polluted":"yes"}},'), 'constructor'],
					[body('{"q1":4,"__proto__":{"polluted":"yes"}}'), 'answers.__proto__'],
					[body('{"q1":4,"constructor":{"prototype":{"polluted":"yes"}}}'), 'answers.constructor']
				];
				for (const [text, path] of cases) {
					const reply = await api(text);
					expect([reply.status, paths(reply)], path).toEqual([422, [path]]);
				}
				const csv =
					'__proto__,constructor,survey,unit,answered_at,q1\nx,y,test-hostile,AG.LX,2026-06-01,4\n';
				const preview = await previewImport(h, csv);
				expect(preview.data.preview.errors.map((e: { column: string }) => e.column)).toEqual([
					'__proto__',
					'constructor'
				]);
			});
			// Form fields of those names are not questions: ignored, and never a server error.
			const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
			const posted = await form(h.qr, [
				['q1', '4'],
				...names.map((n): [string, string] => [n, 'x'])
			]);
			expect(posted.status).toBe(303);
			expect(await newestAnswers(h)).toEqual({ q1: 4 });
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			expect(Object.prototype).not.toHaveProperty('polluted');
		}
	}
];
