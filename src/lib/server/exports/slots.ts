import { RateLimiter } from '../http';

export type Refusal = { reason: 'yours' | 'busy' | 'hourly'; retryAfter: number };

/**
 * Who may start an export now. A million-row download holds a database connection for a
 * minute or more: one at a time per user, a few at a time per server process, and a ceiling per
 * hour, so exports never take the connections that citizens' submissions need. Counted in this
 * process, like the other limits (rate-limit.ts).
 */
export class ExportSlots {
	private running = new Map<string, number>();
	private total = 0;
	private readonly hourly: RateLimiter;

	constructor(
		private readonly atOnce: number,
		perHour: number
	) {
		this.hourly = new RateLimiter(perHour, 60 * 60_000);
	}

	/** Takes a slot for `user`, or says why not; `release` may be called more than once. */
	take(user: string): { ok: true; release: () => void } | ({ ok: false } & Refusal) {
		if (this.running.has(user)) return { ok: false, reason: 'yours', retryAfter: 30 };
		if (this.total >= this.atOnce) return { ok: false, reason: 'busy', retryAfter: 60 };
		if (!this.hourly.hit(user)) {
			return { ok: false, reason: 'hourly', retryAfter: this.hourly.retryAfter(user) };
		}
		this.running.set(user, 1);
		this.total++;
		let held = true;
		return {
			ok: true,
			release: () => {
				if (!held) return;
				held = false;
				this.running.delete(user);
				this.total--;
			}
		};
	}

	/** Exports running now in this process. */
	get size() {
		return this.total;
	}
}

/**
 * The same bytes, calling `release` once the download ends: read to the end, failed, or
 * abandoned by the client (the server cancels the body when the connection goes).
 */
export function releasingOnEnd(
	body: ReadableStream<Uint8Array>,
	release: () => void
): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const next = await reader.read();
					if (next.done) {
						release();
						controller.close();
					} else controller.enqueue(next.value);
				} catch (error) {
					release();
					controller.error(error);
				}
			},
			async cancel(reason) {
				release();
				await reader.cancel(reason);
			}
		},
		new CountQueuingStrategy({ highWaterMark: 0 })
	);
}
