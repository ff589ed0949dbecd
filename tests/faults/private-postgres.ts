// A PostgreSQL server of the test's own, from the binaries of the installed server, so that it
// can be crashed and restarted without touching the machine's shared server.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivatePostgres {
	url: string;
	/** Stops it as a crash would (immediate: no checkpoint, recovery on start), then starts it. */
	crashAndRestart(downMs: number): Promise<void>;
	dispose(): void;
}

function binDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions.length)
		throw new Error(`no PostgreSQL server binaries under ${root} (Debian's postgresql package)`);
	return join(root, versions[0]!, 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the postgres user. */
function runner(dir: string) {
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		chownSync(dir, uid, gid);
	}
	return (command: string, args: string[]) => {
		const [file, argv] = asRoot
			? ['runuser', ['-u', 'postgres', '--', command, ...args]]
			: [command, args];
		const result = spawnSync(file, argv, { encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error}`);
	};
}

export function startPrivatePostgres(port: number): PrivatePostgres {
	const bin = binDir();
	const dir = mkdtempSync(join(tmpdir(), 'hailong-pg-'));
	const run = runner(dir);
	const data = join(dir, 'data');
	run(join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync'
	]);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
	const pgCtl = (...args: string[]) =>
		run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', ...args]);
	pgCtl('-o', options, 'start');
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async crashAndRestart(downMs) {
			pgCtl('-m', 'immediate', 'stop');
			await new Promise((r) => setTimeout(r, downMs));
			pgCtl('-o', options, 'start');
		},
		dispose() {
			try {
				pgCtl('-m', 'immediate', 'stop');
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
