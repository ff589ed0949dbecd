// The worker-thread side of importInWorker (worker.ts): imports the generated file into one
// database, reporting what it creates before creating it, then its figures.
import { parentPort, workerData } from 'node:worker_threads';
import { measureImport, type ImportSource } from './import';
import type { Options } from './options';
import type { Kind } from './results';

const { kind, options, file } = workerData as {
	kind: Kind;
	options: Options;
	file: ImportSource;
};
const result = await measureImport(kind, options, file, {
	announce: (resource) => parentPort!.postMessage({ resource }),
	progress: (text) => parentPort!.postMessage({ progress: text })
});
parentPort!.postMessage({ result });
