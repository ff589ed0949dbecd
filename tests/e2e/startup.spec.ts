import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// Runs the built server (the one `npm start` serves) from a copy of the project whose survey
// definition is broken: it must refuse to start and say which file and where.
test('a broken survey definition stops the server at start-up, naming the file and the JSON path', () => {
	const root = mkdtempSync(join(tmpdir(), 'hailong-broken-'));
	try {
		for (const dir of ['seeds', 'survey-definitions', 'src/lib/server/db/migrations']) {
			cpSync(dir, join(root, dir), { recursive: true });
		}
		const file = join(root, 'survey-definitions/sipas-one-stop.json');
		const def = JSON.parse(readFileSync(file, 'utf8'));
		def.sections[2].questions[0].type = 'stars';
		writeFileSync(file, JSON.stringify(def));
		const result = spawnSync(process.execPath, ['build/index.js'], {
			env: {
				...process.env,
				APP_ROOT: root,
				DATA_DIR: join(root, 'data'),
				PORT: '4399',
				DATABASE_URL: ''
			},
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Hài Lòng cannot start.');
		expect(result.stderr).toContain('sipas-one-stop.json: invalid survey definition');
		expect(result.stderr).toContain('at $.sections[2].questions[0].type:');
		expect(result.stderr).not.toContain('    at '); // a message, not a stack trace
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});
