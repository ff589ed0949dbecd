/**
 * Joins concurrent single-row writes into few statements. A write goes out at once while fewer
 * than `inFlight` statements are running; writes that arrive meanwhile wait and leave together
 * in the next statement, up to `maxBatch` rows. So a quiet server writes each row alone, with no
 * added delay, and a busy one pays one round trip and one commit for many rows.
 *
 * Each caller's promise settles only after its statement has committed (or failed), so an
 * acknowledgement still means stored. When a statement of several rows fails, its rows are
 * written again one by one, so a single bad row cannot fail the others.
 */
export class GroupCommit<T, R> {
	private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
	private running = 0;

	constructor(
		private readonly write: (items: T[]) => Promise<R[]>,
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
					const results = await this.write(batch.map((b) => b.item));
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
				const [result] = await this.write([b.item]);
				b.resolve(result!);
			} catch (error) {
				b.reject(error);
			}
		}
	}
}
