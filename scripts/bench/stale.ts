// A bench killed outright (SIGKILL, a closed terminal) cannot clean up after itself; the next run
// removes what such a run left: databases and data directories named after a pid that is gone.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDatabases, DATABASE_PREFIX, dropDatabase } from './postgres';

export const DIR_PREFIX = 'hailong-bench-';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const ownerGone = (name: string, prefix: string) => {
	const pid = Number(/^(\d+)[_-]/.exec(name.slice(prefix.length))?.[1]);
	return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
};

/** @returns what was removed */
export async function removeLeftovers(
	adminUrl: string,
	/** A database asked for by BENCH_REUSE_DATABASE: never a leftover. */
	keep: string | null = null
): Promise<string[]> {
	const removed: string[] = [];
	for (const name of readdirSync(tmpdir())) {
		if (!name.startsWith(DIR_PREFIX) || !ownerGone(name, DIR_PREFIX)) continue;
		rmSync(join(tmpdir(), name), { recursive: true, force: true });
		removed.push(join(tmpdir(), name));
	}
	// No server at hand is not this step's problem: the parts that need one will say so.
	const databases = await benchDatabases(adminUrl).catch(() => []);
	for (const name of databases.filter((d) => d !== keep && ownerGone(d, DATABASE_PREFIX))) {
		await dropDatabase(adminUrl, name);
		removed.push(`database ${name}`);
	}
	return removed;
}
