import type { Database } from './driver';
import * as partitions from './partitions';
import { log } from '../log';

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

/**
 * The roll-up tables after many of their rows were rewritten (a bulk catch-up, or hourly on
 * PGlite, which has no autovacuum): never vacuumed, their index-only scans visit the table, and
 * never analyzed, the planner guesses a dozen rows for a quarter. A province's quarter took
 * 400 ms instead of 60 at a million responses (npm run bench).
 */
export async function tidyRollups(db: Database) {
	const started = Date.now();
	await db.exec('vacuum analyze rollup_answers, rollup_months, rollup_pairs');
	log.debug('roll-ups tidied', { ms: Date.now() - started });
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
			return tidyResponses(db)
				.then(() => tidyRollups(db))
				.catch((error) => log.warn('vacuum failed', { error }));
		});
	}, HOUR);
	timer.unref();
	return () => clearInterval(timer);
}
