// Catalogue cases 44–47 and 49: what the platform itself sends back — headers, error bodies,
// logs, the consent form, and an export running beside submissions.
import { expect, vi } from 'vitest';
import svelteConfig from '../../svelte.config.js';
import { listAudit } from '../../src/lib/server/audit';
import { sql } from '../../src/lib/server/db';
import { cachedTouchpoint } from '../../src/lib/server/responses';
import { log } from '../../src/lib/server/log';
import { localDate } from '../../src/lib/survey/periods';
import { actions as thanksActions } from '../../src/routes/(respond)/s/[code]/thanks/+page.server';
import { load as dashboardLoad } from '../../src/routes/(staff)/dashboard/+page.server';
import { GET as exportResponses } from '../../src/routes/(staff)/exports/responses/+server';
import { actions as loginActions } from '../../src/routes/login/+page.server';
import {
	pairedTablet,
	send,
	signedIn,
	storesNothing,
	submission,
	type Hostile,
	type HostileCase,
	type Reply
} from './context';
import { api, exportResponsesOf, form, surveyPage } from './doors';

/** Everything the app writes to the console while `act` runs, at every log level. */
async function logged(act: () => Promise<void>): Promise<string> {
	const lines: string[] = [];
	const keep = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
	const out = vi.spyOn(console, 'log').mockImplementation(keep);
	const err = vi.spyOn(console, 'error').mockImplementation(keep);
	const warn = vi.spyOn(console, 'warn').mockImplementation(keep);
	const level = process.env.LOG_LEVEL;
	process.env.LOG_LEVEL = 'debug';
	try {
		await act();
	} finally {
		process.env.LOG_LEVEL = level;
		if (level === undefined) delete process.env.LOG_LEVEL;
		out.mockRestore();
		err.mockRestore();
		warn.mockRestore();
	}
	return lines.join('\n');
}

/** Makes every statement fail for a while, with a message quoting `quoted`, as a driver would. */
function failingDatabase(h: Hostile, quoted: string) {
	const failure = Object.assign(
		new Error(`insert into responses (answers) values ('${quoted}') failed: password=hunter2`),
		{ code: '53100' }
	);
	const query = vi.spyOn(h.app.db, 'query').mockRejectedValue(failure);
	const transaction = vi.spyOn(h.app.db, 'transaction').mockRejectedValue(failure);
	return () => {
		query.mockRestore();
		transaction.mockRestore();
	};
}

export const operationsCases: HostileCase[] = [
	{
		case: 44,
		title:
			'pages carry CSP (object-src, base-uri, frame-ancestors), HSTS, nosniff, referrer policy',
		run: async (h) => {
			const csp = svelteConfig.kit!.csp!.directives!;
			expect([csp['object-src'], csp['base-uri']]).toEqual([['none'], ['none']]);
			const analyst = await signedIn(h.app, 'analyst');
			const page = await send(dashboardLoad, {
				path: 'https://hailong.example/dashboard?unit=AG.LX',
				routeId: '/(staff)/dashboard',
				cookies: { '__Host-session': analyst.token }
			});
			expect(page.status).toBe(200);
			const headers = page.headers;
			expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(headers.get('x-frame-options')).toBe('DENY');
			const hsts = /max-age=(\d+)/.exec(headers.get('strict-transport-security') ?? '');
			expect(Number(hsts?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
			expect(headers.get('x-content-type-options')).toBe('nosniff');
			expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
			expect(headers.get('cache-control')).toBe('no-store');
			expect((await exportResponsesOf(h)).headers.get('cache-control')).toBe('no-store');
		}
	},
	{
		case: 45,
		title: 'a failing database or a thrown error answers a generic message, with nothing internal',
		run: async (h) => {
			await cachedTouchpoint(h.app, h.qr.code);
			const restore = failingDatabase(h, 'x');
			const error = vi.spyOn(log, 'error').mockImplementation(() => {});
			const replies = [];
			let opened = '';
			let errorsLogged: unknown[][] = [];
			try {
				replies.push(await api(submission(h.qr)));
				replies.push(await form(h.qr, { q1: '4' }));
				// The form itself still opens (the definition is in memory): only sending waits.
				opened = await surveyPage(h.qr);
				// Not even the touchpoint can be read: the error page's generic message.
				h.app.touchpointCache.clear();
				replies.push(await form(h.qr, { q1: '4' }));
			} finally {
				restore();
				errorsLogged = [...error.mock.calls];
				error.mockRestore();
			}
			const [reply, posted, page] = replies as [Reply, Reply, Reply];
			expect([reply.status, reply.headers.get('retry-after')]).toEqual([503, '5']);
			expect(reply.data).toEqual({
				errors: [
					{ path: '', message: 'Hệ thống tạm thời không lưu được dữ liệu; xin thử lại sau.' }
				]
			});
			expect([posted.status, posted.data.formError]).toEqual([
				503,
				expect.stringMatching(/tạm thời gián đoạn/)
			]);
			expect(opened).toContain('name="q1"');
			expect(page.status).toBe(500);
			expect(page.data.message).toMatch(/^Lỗi hệ thống/);
			for (const r of replies)
				expect(JSON.stringify(r.data)).not.toMatch(/insert|responses|password|hunter2|\.ts\b/);
			expect(errorsLogged).toHaveLength(3); // each logged where it happened
			// The error page quotes an id that finds its log entry.
			const id = /\b[0-9a-f]{8}\b/.exec(page.data.message)?.[0];
			expect(id).toBeDefined();
			expect(JSON.stringify(errorsLogged[2])).toContain(id);
		}
	},
	{
		case: 46,
		title:
			'a forged log line in a comment stays on its line; no password, token or phone is logged',
		run: async (h) => {
			const forged = 'Tốt\n2026-01-01 INFO admin login ok';
			const tablet = await pairedTablet(h.app, h.kiosk);
			const output = await logged(async () => {
				const restore = failingDatabase(h, forged);
				try {
					await form(h.qr, { q1: '4', comment: forged });
				} finally {
					restore();
				}
				log.warn('comment received', { comment: forged });
				await send(loginActions.default!, {
					path: '/login',
					body: new URLSearchParams({ email: 'admin@test.hailong', password: 'wrong-Hunter2!' })
				});
				await form(
					h.qr,
					{ q1: '1', _contact_phone: '0912 345 678', _contact_consent: 'yes' },
					{ address: '198.51.100.71' }
				);
				await api(submission(h.kiosk, { answers: { q1: 9 } }), { headers: tablet.bearer });
			});
			expect(output).toContain('admin login ok'); // it was logged, on its own line
			for (const line of output.split(/\r?\n|\r|\u2028|\u2029/))
				expect(line).not.toMatch(/^2026-01-01 INFO/);
			for (const secret of ['wrong-Hunter2!', '0912345678', '0912 345 678', tablet.token])
				expect(output).not.toContain(secret);
		}
	},
	{
		case: 47,
		title:
			'the consent box starts unticked; a phone without consent is a 422; withdrawal keeps answers',
		run: async (h) => {
			const html = await surveyPage(h.qr);
			const box = /<input[^>]*id="_contact_consent"[^>]*>/.exec(html)?.[0];
			expect(box).toBeDefined();
			expect(box).not.toMatch(/checked/);
			const refused = await storesNothing(h.app, () =>
				form(h.qr, { q1: '2', _contact_phone: '0912345678' }, { address: '198.51.100.72' })
			);
			expect([refused.status, Object.keys(refused.data.errors)]).toEqual([
				422,
				['_contact_consent']
			]);
			const given = await form(
				h.qr,
				{ q1: '2', _contact_phone: '0912345678', _contact_consent: 'yes' },
				{ address: '198.51.100.73' }
			);
			const id = new URL(given.location!, 'http://localhost').searchParams.get('r')!;
			const contacts = () =>
				h.app.db.query(sql`select 1 from response_contacts where response_id = ${id}::uuid`);
			expect(await contacts()).toHaveLength(1);
			await send(thanksActions.default!, {
				path: `/s/${h.qr.code}/thanks?r=${id}`,
				params: { code: h.qr.code },
				body: new URLSearchParams()
			});
			expect(await contacts()).toHaveLength(0);
			const [kept] = await h.app.db.query<{ answers: unknown }>(
				sql`select answers from responses where id = ${id}::uuid`
			);
			expect(kept!.answers).toEqual({ q1: 2 });
		}
	},
	{
		case: 49,
		title:
			'an export is audited before its first byte, streamed, rate-limited, and leaves submissions free',
		run: async (h) => {
			const analyst = await signedIn(h.app, 'analyst');
			const month = localDate(new Date()).slice(0, 7);
			const started = Date.now();
			const download = await send(exportResponses, {
				path: `/exports/responses?survey=test-hostile&unit=AG&period=${month}`,
				cookies: analyst.cookies,
				unread: true
			});
			expect(download.status).toBe(200);
			const [entry] = await listAudit(h.app.db, { action: 'export', actor: analyst.user.email });
			expect(entry).toMatchObject({
				target: 'test-hostile',
				detail: { kind: 'responses', format: 'csv', unit: 'AG' }
			});
			expect(entry!.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
			// Rate-limited: one download at a time per user (and a few per server, a ceiling per hour).
			const second = await send(exportResponses, {
				path: `/exports/responses?survey=test-hostile&unit=AG&period=${month}`,
				cookies: analyst.cookies
			});
			expect(second.status).toBe(429);
			// The body is a stream still being read: a citizen's answer is stored meanwhile.
			const reader = download.response.body!.getReader();
			expect((await reader.read()).done).toBe(false);
			expect((await api(submission(h.qr))).status).toBe(201);
			while (!(await reader.read()).done);
		}
	}
];
