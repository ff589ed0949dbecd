import { describe, expect, it } from 'vitest';
import { ExportSlots, releasingOnEnd } from './slots';

const bytes = (...chunks: string[]) =>
	new ReadableStream<Uint8Array>({
		start(controller) {
			for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
			controller.close();
		}
	});

describe('export slots', () => {
	it('gives each user one download at a time and the process a few', () => {
		const slots = new ExportSlots(2, 100);
		const a = slots.take('a');
		expect(a.ok).toBe(true);
		expect(slots.take('a')).toMatchObject({ ok: false, reason: 'yours' });
		const b = slots.take('b');
		expect(b.ok).toBe(true);
		expect(slots.take('c')).toMatchObject({ ok: false, reason: 'busy', retryAfter: 60 });
		if (a.ok) {
			a.release();
			a.release(); // twice is harmless: the count stays right
		}
		expect(slots.size).toBe(1);
		expect(slots.take('c').ok).toBe(true);
		expect(slots.take('a')).toMatchObject({ ok: false, reason: 'busy' });
	});

	it('counts starts per user per hour, and a refusal uses no allowance', () => {
		const slots = new ExportSlots(1, 2);
		for (let i = 0; i < 2; i++) {
			const s = slots.take('a');
			expect(s.ok).toBe(true);
			expect(slots.take('b')).toMatchObject({ reason: 'busy' });
			if (s.ok) s.release();
		}
		const refused = slots.take('a');
		expect(refused).toMatchObject({ ok: false, reason: 'hourly' });
		expect(!refused.ok && refused.retryAfter).toBeGreaterThan(3500);
		expect(slots.take('b').ok).toBe(true);
	});
});

describe('releasingOnEnd', () => {
	it('releases once the last byte is read, not before', async () => {
		let released = 0;
		const reader = releasingOnEnd(bytes('a', 'b'), () => released++).getReader();
		expect((await reader.read()).done).toBe(false);
		expect((await reader.read()).done).toBe(false);
		expect(released).toBe(0);
		expect((await reader.read()).done).toBe(true);
		expect(released).toBe(1);
	});

	it('releases when the client goes away mid-download, and cancels the source', async () => {
		let released = 0;
		let cancelled = false;
		const endless = new ReadableStream<Uint8Array>({
			pull: (c) => c.enqueue(new Uint8Array(8)),
			cancel: () => void (cancelled = true)
		});
		const reader = releasingOnEnd(endless, () => released++).getReader();
		await reader.read();
		await reader.cancel();
		expect(released).toBe(1);
		expect(cancelled).toBe(true);
	});

	it('releases when making the file fails, and passes the failure on', async () => {
		let released = 0;
		const failing = new ReadableStream<Uint8Array>({
			pull: (c) => c.error(new Error('database gone'))
		});
		const reader = releasingOnEnd(failing, () => released++).getReader();
		await expect(reader.read()).rejects.toThrow('database gone');
		expect(released).toBe(1);
	});
});
