import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { onCleanup } from './cleanup';
import type { Options } from './options';
import { dropDatabase } from './postgres';
import type { Kind, Resource, ResultsTiming } from './results';

/**
 * Runs the results measurement of one database in a worker thread. PGlite queries and row
 * generation hold their thread for seconds; tsx kills a child whose main thread does not answer a
 * signal within 60 ms, which would leave data behind. Here the main thread stays free to stop the
 * worker and remove what it made.
 */
interface Message {
	resource?: Resource;
	progress?: string;
	timings?: ResultsTiming[];
}

export async function resultsInWorker(kind: Kind, options: Options): Promise<ResultsTiming[]> {
	const worker = new Worker(new URL('./results-worker.ts', import.meta.url), {
		workerData: { kind, options }
	});
	const made: Resource[] = [];
	const release = onCleanup(`results-${kind} worker`, async () => {
		// Stopped first, even mid-query, so nothing is still writing where we remove.
		await worker.terminate();
		for (const resource of made) {
			if ('dir' in resource) rmSync(resource.dir, { recursive: true, force: true });
			else await dropDatabase(options.adminUrl, resource.database);
		}
	});
	try {
		return await new Promise<ResultsTiming[]>((resolve, reject) => {
			worker.on('message', (message: Message) => {
				if (message.resource) made.push(message.resource);
				if (message.progress) process.stderr.write(message.progress);
				if (message.timings) resolve(message.timings);
			});
			worker.once('error', reject);
			worker.once('exit', (code) => reject(new Error(`results-${kind} stopped (exit ${code})`)));
		});
	} finally {
		await release();
	}
}
