// `npm start`: builds when the build is missing or older than the sources, then serves it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const marker = 'build/index.js';

function newest(path) {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
if (!existsSync(marker) || Math.max(...sources.map(newest)) > statSync(marker).mtimeMs) {
	console.log('Building Hài Lòng…');
	const built = spawnSync('vite', ['build', '--logLevel', 'warn'], {
		stdio: 'inherit',
		shell: false
	});
	if (built.status !== 0) process.exit(built.status ?? 1);
}

// adapter-node refuses form posts whose Origin differs from ORIGIN; default to the local address.
process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
await import(new URL('../build/index.js', import.meta.url).href);
