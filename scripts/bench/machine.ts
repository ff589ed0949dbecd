import { readFileSync } from 'node:fs';
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
