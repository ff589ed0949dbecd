// Catalogue cases 28–32: reaching what is not one's own — another unit's data, a tenant named in
// the request, guessed ids and codes, someone else's submission, SQL in filters.
import { expect, vi } from 'vitest';
import { sql } from '../../src/lib/server/db';
import { log } from '../../src/lib/server/log';
import { RateLimiter } from '../../src/lib/server/http';
import { receiptTokens } from '../../src/lib/server/touchpoints';
import { load as surveyLoad } from '../../src/routes/(respond)/s/[code]/+page.server';
import {
	actions as thanksActions,
	load as thanksLoad
} from '../../src/routes/(respond)/s/[code]/thanks/+page.server';
import { load as caseLoad } from '../../src/routes/(staff)/cases/[id]/+page.server';
import { load as commentsLoad } from '../../src/routes/(staff)/comments/+page.server';
import { load as dashboardLoad } from '../../src/routes/(staff)/dashboard/+page.server';
import { actions as importActions } from '../../src/routes/(staff)/entry/import/+page.server';
import { GET as exportResponses } from '../../src/routes/(staff)/exports/responses/+server';
import { load as tokensLoad } from '../../src/routes/(staff)/touchpoints/[code]/tokens/+page.server';
import { POST as pairDevice } from '../../src/routes/api/v1/devices/pair/+server';
import * as responsesApi from '../../src/routes/api/v1/responses/+server';
import { GET as resultsApi } from '../../src/routes/api/v1/results/+server';
import { GET as touchpointsApi } from '../../src/routes/api/v1/touchpoints/+server';
import { load as releaseLoad } from '../../src/routes/cong-khai/+page.server';
import { touchpointAt } from '../helpers/responses';
import { send, signedIn, storesNothing, submission, type HostileCase } from './context';
import { api, form } from './doors';

const SQLI = ["' OR 1=1--", '1;DROP TABLE responses', "AG.LX'; DROP TABLE responses;--"];

export const scopeCases: HostileCase[] = [
	{
		case: 28,
		title: "another unit's dashboard, comments, case, receipt codes or export is a 404, logged",
		run: async (h) => {
			const manager = await signedIn(h.app, 'manager', 'AG.LX');
			const cd = await touchpointAt(h.app, 'test-hostile', 'AG.CD');
			const posted = await form(
				cd,
				{ q1: '1', comment: 'ở xã khác' },
				{ address: '198.51.100.80' }
			);
			expect(posted.status).toBe(303);
			const [found] = await h.app.db.query<{ id: number }>(sql`
				select f.id from follow_up_cases f join responses r on r.id = f.response_id
				where r.answers->>'comment' = 'ở xã khác'`);
			const caseId = String(found!.id);
			const analyst = await signedIn(h.app, 'analyst');
			const warn = vi.spyOn(log, 'warn');
			try {
				const asked = [
					[dashboardLoad, { path: '/dashboard?unit=AG.CD' }],
					[commentsLoad, { path: '/comments?unit=AG.CD' }],
					[caseLoad, { path: `/cases/${caseId}`, params: { id: caseId } }],
					[tokensLoad, { path: `/touchpoints/${cd.code}/tokens`, params: { code: cd.code } }],
					[exportResponses, { path: '/exports/responses?survey=test-hostile&unit=AG.CD' }]
				] as const;
				for (const [route, input] of asked) {
					const reply = await send(route, { ...input, cookies: manager.cookies });
					expect(reply.status, input.path).toBe(404);
				}
				const refusals = warn.mock.calls.filter(([, f]) => f?.unit === 'AG.CD');
				expect(refusals.map(([, f]) => f!.user)).toEqual(Array(4).fill(manager.user.id));
				// The same case is there for someone whose scope holds it: a 404 hides, not loses.
				const allowed = await send(caseLoad, {
					path: `/cases/${caseId}`,
					params: { id: caseId },
					cookies: analyst.cookies
				});
				expect(allowed.status).toBe(200);
			} finally {
				warn.mockRestore();
			}
			// The public results answer anyone, but without another unit's small cells.
			const results = await send(resultsApi, {
				path: '/api/v1/results?survey=test-hostile&unit=AG.CD',
				cookies: manager.cookies
			});
			expect(results.headers.get('cache-control')).toMatch(/^public/);
			expect(JSON.stringify(results.data)).toContain('suppressed');
		}
	},
	{
		case: 29,
		title:
			'agencyId or organizationId in a query or file is ignored; the unit comes from the session',
		run: async (h) => {
			const manager = await signedIn(h.app, 'manager', 'AG.LX');
			const dashboard = await send(dashboardLoad, {
				path: '/dashboard?survey=test-hostile&agencyId=AG.CD&organizationId=AG.CD',
				cookies: manager.cookies
			});
			expect(dashboard.status).toBe(200);
			expect(dashboard.data.selected.unit).toBe('AG.LX');
			const list = await send(touchpointsApi, {
				path: '/api/v1/touchpoints?agencyId=AG.CD&organizationId=AG.CD&unit=AG.CD',
				cookies: manager.cookies
			});
			expect(list.data.length).toBeGreaterThan(0);
			for (const t of list.data) expect(t.unit).toMatch(/^AG\.LX(\.|$)/);
			const clerk = await signedIn(h.app, 'clerk', 'AG.LX');
			const file = new FormData();
			const csv = 'survey,unit,answered_at,q1\ntest-hostile,AG.CD,2026-06-01,4\n';
			file.set('file', new File([csv], 'phieu.csv'));
			const preview = await storesNothing(h.app, () =>
				send(importActions.preview!, { path: '/entry/import', body: file, cookies: clerk.cookies })
			);
			expect(preview.data.preview.errors).toEqual([
				{ row: 2, column: 'unit', message: expect.any(String) }
			]);
		}
	},
	{
		case: 30,
		title:
			'response ids are random v4 UUIDs; guessing receipt or pairing codes trips the rate limit',
		run: async (h) => {
			for (let i = 0; i < 5; i++) await form(h.qr, { q1: '4' }, { address: `198.51.100.9${i}` });
			const ids = await h.app.db.query<{ id: string }>(
				sql`select id::text from responses where channel = 'qr' order by received_at desc limit 5`
			);
			const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
			for (const { id } of ids) expect(id).toMatch(v4);
			expect(new Set(ids.map((r) => r.id)).size).toBe(5);
			await receiptTokens.createBatch(h.app.db, h.qr.id, 50);
			const limit = h.app.limits.qr;
			h.app.limits.qr = new RateLimiter(30, 60_000);
			try {
				await storesNothing(h.app, async () => {
					// Receipt codes guessed by opening the link and by posting the form, alternately.
					const guesses: number[] = [];
					for (let i = 0; i < 100; i++) {
						const query = `?t=${String(i).padStart(12, 'a')}`;
						const where = { query, address: '203.0.113.30' };
						const reply =
							i % 2
								? await form(h.qr, { q1: '5' }, where)
								: await send(surveyLoad, {
										path: `/s/${h.qr.code}${query}`,
										params: { code: h.qr.code },
										address: where.address
									});
						guesses.push(reply.status);
					}
					expect(guesses.slice(0, 30).filter((s) => s === 429)).toEqual([]);
					expect(guesses.slice(30)).toEqual(Array(70).fill(429));
				});
			} finally {
				h.app.limits.qr = limit;
			}
			const pairing: number[] = [];
			for (let i = 0; i < 12; i++) {
				const reply = await send(pairDevice, {
					path: '/api/v1/devices/pair',
					body: JSON.stringify({ code: `ZZZZ${String(i).padStart(4, '0')}` }),
					headers: { 'content-type': 'application/json' },
					address: '203.0.113.31'
				});
				pairing.push(reply.status);
			}
			expect(pairing).toEqual([...Array(10).fill(404), 429, 429]);
		}
	},
	{
		case: 31,
		title: "another respondent's answers can be neither read nor overwritten without their id",
		run: async (h) => {
			expect('GET' in responsesApi).toBe(false); // answers are never served back by id
			const given = await form(
				h.qr,
				{ q1: '2', _contact_phone: '0912345678', _contact_consent: 'yes' },
				{ address: '198.51.100.81' }
			);
			const id = new URL(given.location!, 'http://localhost').searchParams.get('r')!;
			const guess = crypto.randomUUID();
			const page = await send(thanksLoad, {
				path: `/s/${h.qr.code}/thanks?r=${guess}`,
				params: { code: h.qr.code }
			});
			expect(page.data.withdrawable).toBeNull();
			await send(thanksActions.default!, {
				path: `/s/${h.qr.code}/thanks?r=${guess}`,
				params: { code: h.qr.code },
				body: new URLSearchParams()
			});
			const kept = await h.app.db.query(
				sql`select 1 from response_contacts where response_id = ${id}::uuid`
			);
			expect(kept).toHaveLength(1);
			const overwrite = await api(submission(h.qr, { id, answers: { q1: 5 } }));
			expect(overwrite.status).toBe(409);
		}
	},
	{
		case: 32,
		title: 'SQL in filter names, sort keys and search is data or refused by the allowlist',
		run: async (h) => {
			const analyst = await signedIn(h.app, 'analyst');
			await storesNothing(h.app, async () => {
				for (const bad of SQLI) {
					const q = encodeURIComponent(bad);
					const results = (query: string) =>
						send(resultsApi, { path: `/api/v1/results?${query}` }).then((r) => r.status);
					expect(await results(`survey=${q}`)).toBe(404);
					expect(await results(`survey=test-hostile&unit=${q}`)).toBe(404);
					expect(await results(`survey=test-hostile&groupBy=${q}`)).toBe(400);
					expect(await results(`survey=test-hostile&period=${q}`)).toBe(400);
					expect(await results(`survey=test-hostile&from=${q}&to=${q}`)).toBe(400);
					const dashboard = await send(dashboardLoad, {
						path: `/dashboard?survey=test-hostile&unit=AG.LX&sort=${q}&indicator=${q}&field=${q}`,
						cookies: analyst.cookies
					});
					expect([dashboard.data.sort, dashboard.data.indicator]).toEqual(['rate', 'overall']);
					const search = await send(commentsLoad, {
						path: `/comments?unit=AG.LX&q=${q}`,
						cookies: analyst.cookies
					});
					expect([search.status, search.data.total]).toEqual([200, 0]);
					const release = await send(releaseLoad, { path: `/cong-khai?survey=${q}` });
					expect(release.status).toBe(404);
				}
			});
			const [tables] = await h.app.db.query<{ n: number }>(
				sql`select count(*)::int as n from responses`
			);
			expect(tables!.n).toBeGreaterThan(0);
		}
	}
];
