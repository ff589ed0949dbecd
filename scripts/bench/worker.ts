import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { onCleanup } from './cleanup';
import type { Options } from './options';
import { dropDatabase } from './postgres';
import type { Kind, Resource, ResultsTiming } from './results';
import type { ImportSource, ImportTiming } from './import';

/**
 * Runs one database's measurement in a worker thread. PGlite queries and row generation hold
 * their thread for seconds; tsx kills a child whose main thread does not answer a signal within
 * 60 ms, which would leave data behind. Here the main thread stays free to stop the worker and
 * remove what it made.
 */
interface Message<T> {
	resource?: Resource;
	progress?: string;
	result?: T;
}

async function inWorker<T>(
	script: string,
	label: string,
	adminUrl: string,
	workerData: unknown
): Promise<T> {
	const worker = new Worker(new URL(script, import.meta.url), { workerData });
	const made: Resource[] = [];
	const release = onCleanup(`${label} worker`, async () => {
		// Stopped first, even mid-query, so nothing is still writing where we remove.
		await worker.terminate();
		for (const resource of made) {
			if ('dir' in resource) rmSync(resource.dir, { recursive: true, force: true });
			else await dropDatabase(adminUrl, resource.database);
		}
	});
	try {
		return await new Promise<T>((resolve, reject) => {
			worker.on('message', (message: Message<T>) => {
				if (message.resource) made.push(message.resource);
				if (message.progress) process.stderr.write(message.progress);
				if (message.result) resolve(message.result);
			});
			worker.once('error', reject);
			worker.once('exit', (code) => reject(new Error(`${label} stopped (exit ${code})`)));
		});
	} finally {
		await release();
	}
}

export function resultsInWorker(kind: Kind, options: Options): Promise<ResultsTiming[]> {
	return inWorker('./results-worker.ts', `results-${kind}`, options.adminUrl, { kind, options });
}

export function importInWorker(
	kind: Kind,
	options: Options,
	file: ImportSource
): Promise<ImportTiming> {
	return inWorker('./import-worker.ts', `import-${kind}`, options.adminUrl, {
		kind,
		options,
		file
	});
}
