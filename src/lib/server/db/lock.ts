import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirBusyError extends Error {}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * PGlite has no cross-process locking and two processes writing one data directory corrupt it,
 * so the directory is claimed with a lock file holding the owner's pid. A lock left by a dead
 * process is taken over.
 * @returns a function that releases the lock
 */
export function lockDataDir(dir: string): () => void {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, 'hailong.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(path, String(process.pid), { flag: 'wx' });
			return () => {
				try {
					if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
				} catch {
					// already gone
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(readFileSync(path, 'utf8'));
			if (owner && owner !== process.pid && isAlive(owner)) {
				throw new DataDirBusyError(
					`The embedded database in ${dir} is in use by process ${owner} (a running server?). ` +
						'Stop it first, or set DATABASE_URL to share a PostgreSQL server.'
				);
			}
			unlinkSync(path);
		}
	}
	throw new DataDirBusyError(`Could not lock ${dir}`);
}
