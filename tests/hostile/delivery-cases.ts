// Catalogue cases 13–16, 19 and 41–43: how responses arrive — replayed, reordered, late, from a
// skewed clock, in bulk from one address, with a used receipt or a revoked tablet.
import { expect, vi } from 'vitest';
import {
	Outbox,
	type DeadLetter,
	type OutboxStore,
	type QueuedResponse,
	type ResponseBody
} from '../../src/lib/kiosk/outbox';
import type { App } from '../../src/lib/server/app';
import { sql } from '../../src/lib/server/db';
import { devices, receiptTokens } from '../../src/lib/server/touchpoints';
import { log } from '../../src/lib/server/log';
import { RateLimiter } from '../../src/lib/server/http';
import { actions as touchpointActions } from '../../src/routes/(staff)/touchpoints/+page.server';
import { touchpointAt } from '../helpers/responses';
import {
	pairedTablet,
	send,
	signedIn,
	stored,
	storesNothing,
	submission,
	type HostileCase
} from './context';
import { api, form } from './doors';

/** How many of these ids are stored. */
async function countIds(app: App, ids: string[]) {
	const [row] = await app.db.query<{ n: number }>(
		sql`select count(*)::int as n from responses where id = any(${ids}::uuid[])`
	);
	return row!.n;
}

/** The tablet's IndexedDB queue, in memory; `remove` is where an item leaves for good. */
class MemoryQueue implements OutboxStore {
	items = new Map<string, QueuedResponse>();
	letters: DeadLetter[] = [];
	constructor(private onRemove: (id: string) => void) {}
	async add(item: QueuedResponse) {
		this.items.set(item.id, item);
	}
	async all() {
		return [...this.items.values()].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
	}
	async update(item: QueuedResponse) {
		this.items.set(item.id, item);
	}
	async remove(id: string) {
		this.onRemove(id);
		this.items.delete(id);
	}
	async toDead(id: string, letter: DeadLetter) {
		this.letters.push(letter);
		this.items.delete(id);
	}
	async dead() {
		return this.letters;
	}
	async requeueDead() {
		return 0;
	}
}

export const deliveryCases: HostileCase[] = [
	{
		case: 13,
		title:
			'the same id and payload sent twice, or at once, is one row; every call 2xx with that id',
		run: async (h) => {
			const s = submission(h.qr);
			const before = await stored(h.app);
			const [a, b] = await Promise.all([api(s), api(s)]);
			const c = await api(s);
			expect([a.status, b.status].sort()).toEqual([200, 201]);
			expect([a, b, c].map((r) => r.data.id)).toEqual([s.id, s.id, s.id]);
			expect(c.data.status).toBe('duplicate');
			expect((await stored(h.app)).responses).toBe(before.responses + 1);
		}
	},
	{
		case: 14,
		title: 'the same id with another payload is a 409, the original is kept and the event logged',
		run: async (h) => {
			const s = submission(h.qr, { answers: { q1: 5, comment: 'Bản gốc' } });
			expect((await api(s)).status).toBe(201);
			const warn = vi.spyOn(log, 'warn');
			try {
				const other = await storesNothing(h.app, () =>
					api({ ...s, answers: { q1: 1, comment: 'Bản sửa' } })
				);
				expect([other.status, other.data.errors[0].message]).toEqual([
					409,
					'Mã phiếu này đã được dùng cho một phiếu có nội dung khác.'
				]);
				expect(warn).toHaveBeenCalledWith(
					expect.any(String),
					expect.objectContaining({ id: s.id, touchpoint: h.qr.code })
				);
			} finally {
				warn.mockRestore();
			}
			const [row] = await h.app.db.query<{ answers: unknown }>(
				sql`select answers from responses where id = ${s.id}::uuid`
			);
			expect(row!.answers).toEqual({ q1: 5, comment: 'Bản gốc' });
		}
	},
	{
		case: 15,
		title:
			'a kiosk replaying 50 queued answers, out of order and partly delivered before, stores 50',
		run: async (h) => {
			const tablet = await pairedTablet(h.app, h.kiosk);
			const bodies: ResponseBody[] = Array.from({ length: 50 }, (_, i) => ({
				id: crypto.randomUUID(),
				touchpoint: h.kiosk.code,
				answeredAt: new Date(Date.now() - (50 - i) * 60_000).toISOString(),
				locale: 'vi',
				version: 1,
				answers: { q1: (i % 5) + 1 }
			}));
			// Ten reached the server before the connection dropped, their answers never came back.
			for (const b of bodies.slice(0, 10)) await api(b, { headers: tablet.bearer });
			const acked = new Set<string>();
			const queue = new MemoryQueue((id) => expect(acked.has(id), id).toBe(true));
			// Queued in an order unrelated to answeredAt, as a tablet that restarted may hold them.
			const shuffled = [...bodies].sort((a, b) => a.id.localeCompare(b.id));
			shuffled.forEach((body, i) =>
				queue.items.set(body.id, {
					id: body.id,
					body,
					queuedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
					attempts: 0,
					lastError: null
				})
			);
			let clock = Date.now();
			let cuts = 5;
			const outbox = new Outbox(
				queue,
				async (body) => {
					const reply = await api(body, { headers: tablet.bearer });
					// Stored, but the connection is cut before the tablet hears so.
					if (cuts > 0 && reply.status === 201) {
						cuts -= 1;
						return { status: 0 };
					}
					if (reply.status === 200 || reply.status === 201) acked.add(body.id);
					return { status: reply.status, errors: reply.data?.errors };
				},
				{ synced: () => {}, revoked: () => {}, changed: () => {} },
				() => clock
			);
			try {
				for (let round = 0; round < 20 && queue.items.size > 0; round++) {
					clock += 10 * 60_000;
					await outbox.flush();
				}
			} finally {
				outbox.stop();
			}
			expect([queue.items.size, queue.letters.length]).toEqual([0, 0]);
			expect(acked.size).toBe(50);
			expect(
				await countIds(
					h.app,
					bodies.map((b) => b.id)
				)
			).toBe(50);
		}
	},
	{
		case: 16,
		title: 'a retry after the reply was lost converges on one row; a repeated form post is flagged',
		run: async (h) => {
			const s = submission(h.qr);
			const before = await stored(h.app);
			await api(s); // committed; the client never saw the 201
			const retry = await api(s);
			expect([retry.status, retry.data]).toEqual([200, { id: s.id, status: 'duplicate' }]);
			expect((await stored(h.app)).responses).toBe(before.responses + 1);
			// A form carries no id: the second post of the same answers is kept but left out.
			const phone = { address: '198.51.100.61', agent: 'Retry/1' };
			const fields = { q1: '3', comment: 'gửi lại' };
			expect((await form(h.qr, fields, phone)).status).toBe(303);
			expect((await form(h.qr, fields, phone)).status).toBe(303);
			const flags = await h.app.db.query<{ flag: string | null }>(sql`
				select flag from responses where answers->>'comment' = 'gửi lại' order by received_at`);
			expect(flags.map((f) => f.flag)).toEqual([null, 'duplicate']);
		}
	},
	{
		case: 19,
		title:
			'a skewed kiosk clock is filed by server time, and a closed kiosk still takes its late queue',
		run: async (h) => {
			const tablet = await pairedTablet(h.app, h.kiosk);
			const day = 864e5;
			const sent = [Date.now() + 2 * day, Date.now() - 2 * day, 0].map((t) =>
				submission(h.kiosk, { answeredAt: new Date(t).toISOString(), version: 1 })
			);
			for (const s of sent) expect((await api(s, { headers: tablet.bearer })).status).toBe(201);
			const rows = await h.app.db.query<{
				id: string;
				reported: Date;
				received: Date;
				at: Date;
			}>(sql`
				select id::text, reported_at as reported, received_at as received, effective_at as at
				from responses where id = any(${sent.map((s) => s.id)}::uuid[])`);
			const byId = new Map(rows.map((r) => [r.id, r]));
			const [ahead, behind, epoch] = sent.map((s) => byId.get(s.id)!);
			for (const r of [ahead!, behind!, epoch!])
				expect(Date.now() - new Date(r.received).getTime()).toBeLessThan(60_000);
			expect(new Date(epoch!.reported).getTime()).toBe(0); // what the tablet said is kept
			expect(new Date(ahead!.at)).toEqual(new Date(ahead!.received));
			expect(new Date(epoch!.at)).toEqual(new Date(epoch!.received));
			expect(new Date(behind!.at)).toEqual(new Date(behind!.reported));

			// Closed by an administrator while the tablet was offline: what it queued still counts.
			const hall = await touchpointAt(h.app, 'test-hostile', 'AG.LX', 'kiosk');
			const late = await pairedTablet(h.app, hall);
			const admin = await signedIn(h.app, 'admin');
			const close = await send(touchpointActions.setActive!, {
				path: '/touchpoints',
				body: new URLSearchParams({ code: hall.code, active: 'false' }),
				cookies: admin.cookies
			});
			expect(close.status).toBe(303);
			const queued = submission(hall, { answeredAt: new Date(Date.now() - day).toISOString() });
			expect((await api(queued, { headers: late.bearer })).status).toBe(201);
			// Anyone else, and a closed QR link, is refused.
			expect((await api(submission(hall))).status).toBe(401);
			const link = await touchpointAt(h.app, 'test-hostile', 'AG.LX');
			await send(touchpointActions.setActive!, {
				path: '/touchpoints',
				body: new URLSearchParams({ code: link.code, active: 'false' }),
				cookies: admin.cookies
			});
			expect((await api(submission(link))).status).toBe(422);
			expect((await form(link, { q1: '4' })).status).toBe(410);
		}
	},
	{
		case: 41,
		title: '500 QR posts from one address with rotating cookies and browsers are rate-limited',
		run: async (h) => {
			const limit = h.app.limits.qr;
			h.app.limits.qr = new RateLimiter(30, 60_000); // the default QR_RATE_LIMIT
			try {
				const before = await stored(h.app);
				const statuses: number[] = [];
				for (let i = 0; i < 500; i++) {
					const reply = await form(
						h.qr,
						{ q1: '5' },
						{
							address: '203.0.113.99',
							agent: `Stuffer/${i}`,
							headers: { cookie: `lang=vi; session=${crypto.randomUUID()}` }
						}
					);
					statuses.push(reply.status);
				}
				expect(statuses.filter((s) => s === 303)).toHaveLength(30);
				expect(statuses.filter((s) => s === 429)).toHaveLength(470);
				expect((await stored(h.app)).responses).toBe(before.responses + 30);
				// The same answers from another phone in the same minute still get through.
				expect((await form(h.qr, { q1: '5' }, { address: '203.0.113.98' })).status).toBe(303);
			} finally {
				h.app.limits.qr = limit;
			}
		}
	},
	{
		case: 42,
		title: 'a receipt token used once is "already submitted" the second time, and stores nothing',
		run: async (h) => {
			const batch = await receiptTokens.createBatch(h.app.db, h.qr.id, 1);
			const [receipt] = await receiptTokens.listBatch(h.app.db, h.qr.id, batch);
			const query = `?t=${receipt!.token}`;
			expect((await form(h.qr, { q1: '4' }, { query })).status).toBe(303);
			const again = await storesNothing(h.app, () =>
				form(h.qr, { q1: '1' }, { query, address: '198.51.100.88', agent: 'Leaked/1' })
			);
			expect([again.status, again.data.formError]).toEqual([
				409,
				expect.stringMatching(/đã được gửi/)
			]);
		}
	},
	{
		case: 43,
		title: 'a revoked tablet is refused from then on; what it sent before revocation stays',
		run: async (h) => {
			const tablet = await pairedTablet(h.app, h.kiosk);
			const early = submission(h.kiosk);
			expect((await api(early, { headers: tablet.bearer })).status).toBe(201);
			expect(await devices.revoke(h.app.db, h.kiosk.id, tablet.device)).toBe(true);
			const late = await storesNothing(h.app, () =>
				api(submission(h.kiosk), { headers: tablet.bearer })
			);
			expect([late.status, late.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
			expect(await countIds(h.app, [early.id])).toBe(1);
		}
	}
];
