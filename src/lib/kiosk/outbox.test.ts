import { describe, expect, it, vi } from 'vitest';
import { numberedUuid } from '$tests/helpers/fixtures';
import {
	backoffMs,
	Outbox,
	verdict,
	type Attempt,
	type DeadLetter,
	type OutboxStore,
	type QueuedResponse,
	type ResponseBody
} from './outbox';

class MemoryStore implements OutboxStore {
	queue = new Map<string, QueuedResponse>();
	letters = new Map<string, DeadLetter>();
	async add(item: QueuedResponse) {
		if (this.queue.has(item.id)) throw new Error('ConstraintError');
		this.queue.set(item.id, structuredClone(item));
	}
	async all() {
		return [...this.queue.values()].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
	}
	async update(item: QueuedResponse) {
		this.queue.set(item.id, structuredClone(item));
	}
	async remove(id: string) {
		this.queue.delete(id);
	}
	async toDead(id: string, letter: DeadLetter) {
		this.letters.set(id, letter);
		this.queue.delete(id);
	}
	async dead() {
		return [...this.letters.values()];
	}
	async requeueDead() {
		return 0;
	}
}

const body = (n: number): ResponseBody => ({
	id: numberedUuid(n),
	touchpoint: 'k1',
	answeredAt: '2026-11-27T03:00:00.000Z',
	locale: 'vi',
	version: 1,
	answers: { case_overall: 3 }
});

function setup(replies: (Attempt | Error)[]) {
	let clock = 1_000_000;
	const store = new MemoryStore();
	const sent: string[] = [];
	const events = { synced: vi.fn(), revoked: vi.fn(), changed: vi.fn() };
	const outbox = new Outbox(
		store,
		async (b) => {
			sent.push(b.id);
			const reply = replies.shift() ?? { status: 201 };
			if (reply instanceof Error) throw reply;
			return reply;
		},
		events,
		() => clock
	);
	const tick = (ms: number) => (clock += ms);
	/** Queues two items a millisecond apart while paused, then sends until the queue is empty. */
	async function sendTwo() {
		outbox.stop();
		await outbox.enqueue(body(1));
		tick(1);
		await outbox.enqueue(body(2));
		outbox.resume();
		await vi.waitFor(() => expect(store.queue.size).toBe(0));
	}
	return { outbox, store, sent, events, tick, sendTwo };
}

describe('verdict', () => {
	it('keeps an item until the server has it, and gives up only on final refusals', () => {
		expect([200, 201].map(verdict)).toEqual(['done', 'done']);
		expect([0, 408, 425, 429, 500, 502, 503].map(verdict)).toEqual(Array(7).fill('retry'));
		expect([400, 404, 409, 413, 422].map(verdict)).toEqual(Array(5).fill('dead'));
		expect(verdict(401)).toBe('revoked');
	});
});

describe('backoffMs', () => {
	it('doubles from one second up to five minutes, within ±20%', () => {
		expect(backoffMs(1, 0.5)).toBe(1000);
		expect(backoffMs(2, 0.5)).toBe(2000);
		expect(backoffMs(4, 0.5)).toBe(8000);
		expect(backoffMs(30, 0.5)).toBe(300_000);
		expect(backoffMs(1, 0)).toBe(800);
		expect(backoffMs(1, 1)).toBe(1200);
	});
});

describe('Outbox', () => {
	it('sends oldest first and empties the queue on 201 and 200', async () => {
		const t = setup([{ status: 201 }, { status: 200 }]);
		await t.sendTwo();
		expect(t.sent).toEqual([body(1).id, body(2).id]);
		expect(t.events.synced).toHaveBeenCalledTimes(2);
	});

	it('keeps the item through 500s and network errors, backing off, then sends it once more', async () => {
		const t = setup([{ status: 500 }, new Error('offline')]);
		await t.outbox.enqueue(body(1));
		await vi.waitFor(() => expect(t.sent).toHaveLength(1));
		await vi.waitFor(() => expect(t.store.queue.get(body(1).id)?.attempts).toBe(1));
		expect(t.outbox.retryAt).toBeGreaterThan(0);
		// Still paused: a flush before the retry time sends nothing.
		await t.outbox.flush();
		expect(t.sent).toHaveLength(1);
		t.tick(2_000);
		await t.outbox.flush();
		expect(t.sent).toHaveLength(2);
		expect(t.store.queue.get(body(1).id)?.lastError).toBe('network');
		t.tick(10_000);
		await t.outbox.flush();
		expect(t.sent).toHaveLength(3);
		expect(t.store.queue.size).toBe(0);
		t.outbox.stop();
	});

	it('honours Retry-After when it asks for longer than the back-off', async () => {
		const t = setup([{ status: 503, retryAfterSeconds: 30 }]);
		await t.outbox.enqueue(body(1));
		await vi.waitFor(() => expect(t.store.queue.get(body(1).id)?.attempts).toBe(1));
		t.tick(29_000);
		await t.outbox.flush();
		expect(t.sent).toHaveLength(1);
		t.tick(1_000);
		await t.outbox.flush();
		expect(t.sent).toHaveLength(2);
		t.outbox.stop();
	});

	it('moves a refused item to the dead letters with its errors and goes on with the next', async () => {
		const errors = [{ path: 'answers.case_overall', message: 'Chọn một mức từ 1 đến 3.' }];
		const t = setup([{ status: 422, errors }, { status: 201 }]);
		await t.sendTwo();
		const [letter] = await t.store.dead();
		expect(letter).toMatchObject({ id: body(1).id, status: 422, errors, body: body(1) });
	});

	it('stops on 401 and keeps everything queued', async () => {
		const t = setup([{ status: 401 }]);
		await t.outbox.enqueue(body(1));
		await vi.waitFor(() => expect(t.events.revoked).toHaveBeenCalled());
		await t.outbox.enqueue(body(2));
		expect(t.sent).toHaveLength(1);
		expect(t.store.queue.size).toBe(2);
	});

	it('does not count an item as queued when the store refuses it', async () => {
		const t = setup([]);
		t.store.add = async () => {
			throw new DOMException('full', 'QuotaExceededError');
		};
		await expect(t.outbox.enqueue(body(1))).rejects.toThrow('full');
		expect(t.sent).toHaveLength(0);
	});
});
