import { localDate, monthStart } from '$lib/survey/periods';
import { log } from '../log';
import type { Database } from './driver';
import { sql } from './sql';

/**
 * The monthly partitions of responses (migration 0010). Dates without a month partition land in
 * responses_default, so nothing here is needed for an insert to succeed: creating months ahead
 * keeps current answers out of the default partition, where every query would have to read them.
 */

/** How many months after the current one are created ahead. */
export const MONTHS_AHEAD = 3;

export interface MonthPartition {
	partition: string;
	status: 'created' | 'exists' | 'name_taken';
	/** Rows of that month moved out of the default partition. */
	moved: number;
}

/**
 * Creates the partition of the month holding `day` unless it exists, moving any of its rows out
 * of the default partition. Gives up after a few seconds waiting for a lock rather than queue
 * every reader of responses behind it; the next round tries again.
 */
export async function addMonth(db: Database, day: string): Promise<MonthPartition> {
	return db.transaction(async (tx) => {
		await tx.query(sql`select set_config('lock_timeout', '5s', true)`);
		const [row] = await tx.query<MonthPartition>(
			sql`select partition, status, moved::int as moved from responses_add_month(${day}::date)`
		);
		return row!;
	});
}

/** The first days of the month holding `today` and of the `ahead` months after it. */
export function monthsFrom(today: string, ahead = MONTHS_AHEAD): string[] {
	return Array.from({ length: ahead + 1 }, (_, i) => monthStart(today, i));
}

/**
 * Makes sure this month and the next few have their partitions (at start-up and hourly). Never
 * throws: a month that could not be created now is logged and tried again on the next round,
 * and its answers meanwhile wait safely in the default partition.
 * @returns the partitions created by this call
 */
export async function createAhead(
	db: Database,
	today = localDate(new Date()),
	ahead = MONTHS_AHEAD
): Promise<MonthPartition[]> {
	const created: MonthPartition[] = [];
	for (const month of monthsFrom(today, ahead)) {
		try {
			const result = await addMonth(db, month);
			if (result.status === 'created') {
				created.push(result);
				log.info('response partition created', { ...result });
			} else if (result.status === 'name_taken') {
				log.warn('response partition not created: a table has its name', { ...result });
			}
		} catch (error) {
			log.warn('response partition not created', { month, error });
		}
	}
	return created;
}
