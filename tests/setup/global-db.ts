// Prepares one migrated, seeded database for the whole vitest run, so each test file starts from
// a copy in well under a second: a PGlite snapshot, or a PostgreSQL template database when
// TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startApp } from '../../src/lib/server/app';
import { connectPostgres, openPglite } from '../../src/lib/server/db';
import { testConfig, withDatabase } from '../helpers/config';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteSnapshot: string;
		pgTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	const url = process.env.TEST_DATABASE_URL;
	if (url) {
		const template = `hailong_tpl_${process.pid}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists ${template}`);
		await admin.unsafe(`create database ${template}`);
		const db = connectPostgres({ url: withDatabase(url, template), poolSize: 2 });
		await startApp({ db, config: testConfig() });
		await db.close();
		project.provide('pgTemplate', template);
		project.provide('pgliteSnapshot', '');
		return async () => {
			const leftovers = await admin<{ datname: string }[]>`
				select datname from pg_database where datname like ${`hailong_t_${process.pid}_%`}`;
			for (const { datname } of leftovers)
				await admin.unsafe(`drop database if exists ${datname} with (force)`);
			await admin.unsafe(`drop database if exists ${template}`);
			await admin.end();
		};
	}
	const db = await openPglite();
	await startApp({ db, config: testConfig() });
	const snapshot = await db.pglite.dumpDataDir('none');
	await db.close();
	const dir = mkdtempSync(join(tmpdir(), 'hailong-test-'));
	const file = join(dir, 'snapshot.tar');
	writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
	project.provide('pgliteSnapshot', file);
	project.provide('pgTemplate', '');
	return () => rmSync(dir, { recursive: true, force: true });
}
