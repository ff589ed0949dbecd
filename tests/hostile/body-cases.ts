// Catalogue cases 1–4: what a request body may be — too large, not UTF-8, carrying NUL or lone
// surrogates, or Vietnamese in decomposed form — through the JSON API, the QR form and the import.
import { expect } from 'vitest';
import { sql } from '../../src/lib/server/db';
import { actions as surveyActions } from '../../src/routes/(respond)/s/[code]/+page.server';
import { load as commentsLoad } from '../../src/routes/(staff)/comments/+page.server';
import {
	paths,
	send,
	signedIn,
	storesNothing,
	streamedBody,
	submission,
	type HostileCase
} from './context';
import { answersOf, api, form, previewImport } from './doors';

/** Bytes from text and raw byte values: a body that is not UTF-8. */
const utf8 = (...parts: (string | number)[]) =>
	new Uint8Array(
		parts.flatMap((p) => (typeof p === 'number' ? [p] : [...new TextEncoder().encode(p)]))
	);

export const bodyCases: HostileCase[] = [
	{
		case: 1,
		title: 'a body over the limit is a 413 before parsing, declared, streamed or multipart',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				const big = JSON.stringify(
					submission(h.qr, { answers: { q1: 4, comment: 'x'.repeat(513e3) } })
				);
				expect((await api(big, { headers: { 'content-length': String(big.length) } })).status).toBe(
					413
				);
				// No declared length: reading stops at the limit instead of taking all 600 KiB.
				const streamed = streamedBody(600);
				expect((await api(streamed.body)).status).toBe(413);
				expect(streamed.counter.pulled).toBeLessThan(600);
				// Under the forms' limit, over the API's own 64 KiB: the endpoint refuses it too.
				const mid = JSON.stringify(
					submission(h.qr, { answers: { q1: 4, comment: 'x'.repeat(100e3) } })
				);
				const refused = await api(mid, { headers: { 'content-length': String(mid.length) } });
				expect([refused.status, refused.data.errors[0].message]).toEqual([
					413,
					'Dữ liệu gửi lên quá lớn (tối đa 64 KiB).'
				]);
				const upload = streamedBody(10 * 1024);
				const multipart = await send(surveyActions.default!, {
					path: `/s/${h.qr.code}`,
					params: { code: h.qr.code },
					body: upload.body,
					headers: { 'content-type': 'multipart/form-data; boundary=x' }
				});
				expect(multipart.status).toBe(413);
				expect(upload.counter.pulled).toBeLessThan(10 * 1024);
			});
		}
	},
	{
		case: 2,
		title:
			'a 1 MB comment is refused whole (413); one over 500 characters is a 422 naming the field',
		run: async (h) => {
			const huge = 'x'.repeat(1024 * 1024);
			await storesNothing(h.app, async () => {
				expect((await api(submission(h.qr, { answers: { q1: 4, comment: huge } }))).status).toBe(
					413
				);
				expect((await form(h.qr, { q1: '4', comment: huge })).status).toBe(413);
				const long = await api(submission(h.qr, { answers: { q1: 4, comment: 'x'.repeat(501) } }));
				expect([long.status, paths(long)]).toEqual([422, ['answers.comment']]);
				expect(long.data.errors[0].message).toBe('Câu trả lời dài quá 500 ký tự; xin rút gọn.');
				const posted = await form(h.qr, { q1: '4', comment: 'x'.repeat(5000) });
				expect([posted.status, Object.keys(posted.data.errors)]).toEqual([422, ['comment']]);
			});
			// The limit is a limit, not a cut: 500 characters are stored whole.
			const full = submission(h.qr, { answers: { q1: 4, comment: 'y'.repeat(500) } });
			expect((await api(full)).status).toBe(201);
			expect(((await answersOf(h, full.id))!.comment as string).length).toBe(500);
		}
	},
	{
		case: 3,
		title: 'invalid UTF-8, lone surrogates and NUL are a 400 or 422, never a 500',
		run: async (h) => {
			await storesNothing(h.app, async () => {
				const bytes = utf8('{"id":"', 0xc3, 0x28, '"}');
				const notUtf8 = await api(bytes);
				expect([notUtf8.status, notUtf8.data.errors[0].message]).toEqual([
					400,
					'Dữ liệu gửi lên không phải UTF-8 hợp lệ.'
				]);
				const cases: [Record<string, unknown>, string][] = [
					[{ answers: { q1: 4, comment: 'a\uD800b' } }, 'answers.comment'],
					[{ answers: { q1: 4, comment: 'a\u0000b' } }, 'answers.comment'],
					[{ answers: { q1: 4, 'q\u0000': 1 } }, 'answers.q\u0000'],
					[{ touchpoint: `${h.qr.code}\u0000` }, 'touchpoint'],
					[{ id: `${crypto.randomUUID()}\u0000` }, 'id'],
					[{ locale: 'vi\uD800' }, 'locale']
				];
				for (const [overrides, path] of cases) {
					const reply = await api(submission(h.qr, overrides));
					expect([reply.status, paths(reply)], path).toEqual([422, [path]]);
				}
				const nul = await form(h.qr, { q1: '4', comment: 'a\u0000b' });
				expect([nul.status, nul.data.errors]).toEqual([
					422,
					{ comment: 'Câu trả lời chứa ký tự không hợp lệ.' }
				]);
				const inPath = await send(surveyActions.default!, {
					path: `/s/${h.qr.code}%00`,
					params: { code: `${h.qr.code}\u0000` },
					body: new URLSearchParams({ q1: '4' })
				});
				expect(inPath.status).toBe(400);
				const file = await previewImport(
					h,
					utf8('survey,unit,answered_at,comment\nx,y,z,', 0xc3, 0x28)
				);
				expect([file.status, file.data.message]).toEqual([400, expect.stringMatching(/UTF-8/)]);
			});
		}
	},
	{
		case: 4,
		title:
			'Vietnamese NFD is stored as NFC, equal on replay, search and dedup, measured after normalising',
		run: async (h) => {
			const nfd = 'Hoa\u0300 tha\u0301i';
			const s = submission(h.qr, { answers: { q1: 4, comment: nfd } });
			expect((await api(s)).status).toBe(201);
			expect((await answersOf(h, s.id))!.comment).toBe('Hoà thái');
			const composed = { ...s, answers: { q1: 4, comment: 'Hoà thái' } };
			expect((await api(composed)).data.status).toBe('duplicate');
			// 500 letters with combining accents are 1000 code points before NFC: they fit.
			const accents = submission(h.qr, { answers: { q1: 4, comment: 'a\u0300'.repeat(500) } });
			expect((await api(accents)).status).toBe(201);
			const analyst = await signedIn(h.app, 'analyst');
			const found = await send(commentsLoad, {
				path: `/comments?unit=AG.LX&q=${encodeURIComponent('tha\u0301i')}`,
				cookies: analyst.cookies
			});
			expect(found.data.rows.map((r: { comment: string }) => r.comment)).toContain('Hoà thái');
			// The same answers from the same phone, once decomposed, once composed: one is flagged.
			const phone = { address: '198.51.100.44', agent: 'NFD-phone/1' };
			await form(h.qr, { q1: '2', comment: 'Cha\u0323m' }, phone);
			await form(h.qr, { q1: '2', comment: 'Chạm' }, phone);
			const flags = await h.app.db.query<{ flag: string | null }>(sql`
				select flag from responses where answers->>'comment' = 'Chạm' order by received_at`);
			expect(flags.map((f) => f.flag)).toEqual([null, 'duplicate']);
		}
	}
];
