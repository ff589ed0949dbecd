import { join, resolve } from 'node:path';
import type { Config } from '../config';
import { connectPostgres, openPglite, type Database } from './driver';
import { lockDataDir } from './lock';

export * from './coalescer';
export * from './driver';
export * from './lock';
export * from './maintenance';
export * from './memo';
export * from './migrate';
export * as partitions from './partitions';
export * from './sql';

/** PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite in DATA_DIR, locked. */
export async function openDatabase(
	config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'>
): Promise<Database> {
	if (config.DATABASE_URL) {
		return connectPostgres({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
	}
	const dir = resolve(config.DATA_DIR);
	const unlock = lockDataDir(dir);
	try {
		const db = await openPglite({ dataDir: join(dir, 'pglite') });
		return {
			...db,
			async close() {
				await db.close();
				unlock();
			}
		};
	} catch (error) {
		unlock();
		throw error;
	}
}
