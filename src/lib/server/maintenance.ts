import type { Database } from './db';
import * as partitions from './db/partitions';
import { log } from './log';

/**
 * PGlite has no autovacuum: without a vacuum, index-only scans of the results index still visit
 * the table, and without analyze the planner misjudges the responses table. PostgreSQL's
 * autovacuum does both on its own, so there this only refreshes statistics after a bulk load.
 */
export async function tidyResponses(db: Database) {
	const started = Date.now();
	await db.exec(db.kind === 'pglite' ? 'vacuum analyze responses' : 'analyze responses');
	log.debug('responses tidied', { ms: Date.now() - started });
}

const HOUR = 60 * 60 * 1000;

/**
 * Hourly upkeep while the server runs: the monthly partitions of responses created ahead (both
 * databases; a month turns while the server runs), and on PGlite the vacuum.
 */
export function scheduleTidying(db: Database): () => void {
	const timer = setInterval(() => {
		void partitions.createAhead(db).then(() => {
			if (db.kind !== 'pglite') return;
			return tidyResponses(db).catch((error) => log.warn('vacuum failed', { error }));
		});
	}, HOUR);
	timer.unref();
	return () => clearInterval(timer);
}
