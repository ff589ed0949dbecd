import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { serverVersion } from './postgres';

export interface Machine {
	nproc: number;
	cpu: string;
	memoryBytes: number;
	node: string;
	postgres: string;
}

function cpuModel(): string {
	try {
		const info = readFileSync('/proc/cpuinfo', 'utf8');
		return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

export async function machineFacts(adminUrl: string): Promise<Machine> {
	return {
		nproc: availableParallelism(),
		cpu: cpuModel(),
		memoryBytes: totalmem(),
		node: process.version,
		postgres: await serverVersion(adminUrl).catch((e: Error) => `unreachable (${e.message})`)
	};
}

/**
 * CPU time used so far by every process named `postgres` on this machine, in seconds: the
 * database's share of a load run when the server is local (null when none is seen).
 */
export function localPostgresCpuSeconds(): number | null {
	let ticks = 0;
	let seen = false;
	for (const pid of readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (!stat.includes('(postgres)')) continue;
			// utime and stime, the 12th and 13th fields after the command name.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
			seen = true;
		} catch {
			// exited meanwhile
		}
	}
	// USER_HZ is 100 on every Linux this runs on.
	return seen ? ticks / 100 : null;
}
