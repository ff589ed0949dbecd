// The worker-thread side of worker.ts: runs one database's results measurement and reports what
// it creates before creating it, then its figures.
import { parentPort, workerData } from 'node:worker_threads';
import type { Options } from './options';
import { measureResults, type Kind } from './results';

const { kind, options } = workerData as { kind: Kind; options: Options };
// Progress travels as messages too: a worker's own stderr may be cut off when it ends.
const timings = await measureResults(kind, options, {
	announce: (resource) => parentPort!.postMessage({ resource }),
	progress: (text) => parentPort!.postMessage({ progress: text })
});
parentPort!.postMessage({ result: timings });
