/**
 * Joins concurrent one-row statements into few: writes share a commit, lookups a round trip. A
 * statement goes out at once while fewer than `inFlight` are running; items that arrive
 * meanwhile wait and leave together in the next statement, up to `maxBatch`. So a quiet server
 * sends each item alone, with no added delay, and a busy one pays one round trip (and for
 * writes one commit) for many.
 *
 * Each caller's promise settles only after its statement has ended (for writes: committed), so
 * an acknowledgement still means stored. When a statement of several items fails, they are sent
 * again one by one, so a single bad item cannot fail the others.
 */
export class Coalescer<T, R> {
	private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
	private running = 0;

	constructor(
		private readonly send: (items: T[]) => Promise<R[]>,
		private readonly options: { inFlight: number; maxBatch: number }
	) {}

	submit(item: T): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			this.queue.push({ item, resolve, reject });
			if (this.running < this.options.inFlight) void this.drain();
		});
	}

	private async drain() {
		this.running++;
		try {
			while (this.queue.length) {
				const batch = this.queue.splice(0, this.options.maxBatch);
				try {
					const results = await this.send(batch.map((b) => b.item));
					batch.forEach((b, i) => b.resolve(results[i]!));
				} catch (error) {
					if (batch.length === 1) batch[0]!.reject(error);
					else await this.oneByOne(batch);
				}
			}
		} finally {
			this.running--;
		}
	}

	private async oneByOne(batch: typeof this.queue) {
		for (const b of batch) {
			try {
				const [result] = await this.send([b.item]);
				b.resolve(result!);
			} catch (error) {
				b.reject(error);
			}
		}
	}
}
