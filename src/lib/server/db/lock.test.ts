import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from './lock';

const dir = mkdtempSync(join(tmpdir(), 'hailong-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded data directory lock', () => {
	it('refuses a second owner while the first is alive, and frees the directory on release', () => {
		const release = lockDataDir(dir);
		writeFileSync(join(dir, 'hailong.lock'), String(process.ppid)); // another live process
		expect(() => lockDataDir(dir)).toThrowError(DataDirBusyError);
		writeFileSync(join(dir, 'hailong.lock'), String(process.pid));
		release();
		expect(existsSync(join(dir, 'hailong.lock'))).toBe(false);
	});

	it('takes over a lock left by a dead process', () => {
		writeFileSync(join(dir, 'hailong.lock'), '2147483646');
		const release = lockDataDir(dir);
		expect(readFileSync(join(dir, 'hailong.lock'), 'utf8')).toBe(String(process.pid));
		release();
	});

	it('makes `npm run import` refuse to run while a server holds the directory', () => {
		const release = lockDataDir(dir);
		try {
			writeFileSync(join(dir, 'x.csv'), 'survey,unit,answered_at\n');
			const result = spawnSync('tsx', ['scripts/import.ts', join(dir, 'x.csv')], {
				env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
				encoding: 'utf8'
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(`is in use by process ${process.pid}`);
		} finally {
			release();
		}
	});
});
