/**
 * A fixed-window counter per key, in this process. Enough for one server; a deployment with
 * several instances needs the counts in a shared store (TODO(multi-instance): move to the DB).
 */
export class RateLimiter {
	private windows = new Map<string, { start: number; count: number }>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	/** Counts one hit; false when the key is over its limit in the current window. */
	hit(key: string, now = Date.now()): boolean {
		if (this.limit <= 0) return true;
		const w = this.windows.get(key);
		if (!w || now - w.start >= this.windowMs) {
			if (this.windows.size > 50_000) this.sweep(now);
			this.windows.set(key, { start: now, count: 1 });
			return true;
		}
		w.count += 1;
		return w.count <= this.limit;
	}

	/** True when the key has used up its window without counting a hit (for counting failures only). */
	exhausted(key: string, now = Date.now()): boolean {
		if (this.limit <= 0) return false;
		const w = this.windows.get(key);
		return !!w && now - w.start < this.windowMs && w.count >= this.limit;
	}

	/** Seconds until the key's window ends. */
	retryAfter(key: string, now = Date.now()): number {
		const w = this.windows.get(key);
		return w ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
	}

	reset(key: string) {
		this.windows.delete(key);
	}

	private sweep(now: number) {
		for (const [key, w] of this.windows)
			if (now - w.start >= this.windowMs) this.windows.delete(key);
	}
}
