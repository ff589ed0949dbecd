// A closed-loop load driver: N workers each issue the next operation as soon as the last one ends,
// which is how kiosks and a busy QR campaign behave (a client waits for its answer).

export interface LoadStats {
	/** Operations that started inside the measured window. */
	completed: number;
	/** Failed operations over the whole run, warm-up included (must be 0). */
	failed: number;
	firstError?: string;
	seconds: number;
	perSecond: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function closedLoop(options: {
	concurrency: number;
	warmupMs: number;
	durationMs: number;
	/** Resolves true when the operation succeeded. */
	op: () => Promise<boolean>;
	signal?: AbortSignal;
}): Promise<LoadStats> {
	const latencies: number[] = [];
	let failed = 0;
	let firstError: string | undefined;
	const measureFrom = performance.now() + options.warmupMs;
	const stopAt = measureFrom + options.durationMs;

	async function worker() {
		while (performance.now() < stopAt && !options.signal?.aborted) {
			const start = performance.now();
			let ok: boolean;
			try {
				ok = await options.op();
			} catch (error) {
				ok = false;
				firstError ??= (error as Error).message;
			}
			if (!ok) failed++;
			if (start >= measureFrom) latencies.push(performance.now() - start);
		}
	}
	await Promise.all(Array.from({ length: options.concurrency }, worker));

	const seconds = (performance.now() - measureFrom) / 1000;
	const sorted = Float64Array.from(latencies).sort();
	return {
		completed: latencies.length,
		failed,
		firstError,
		seconds,
		perSecond: latencies.length / seconds,
		p50Ms: percentile(sorted, 0.5),
		p95Ms: percentile(sorted, 0.95),
		p99Ms: percentile(sorted, 0.99),
		maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN
	};
}
