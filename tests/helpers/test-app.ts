import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { startApp, type App } from '../../src/lib/server/app';
import { connectPostgres, openPglite, type Database } from '../../src/lib/server/db';
import { rollups } from '../../src/lib/server/results';
import { loadRegistry, syncDefinitions } from '../../src/lib/server/surveys';
import { surveyDefinition } from '../../src/lib/survey/definition';
import { testConfig, withDatabase } from './config';

/** Which database the DB tests run on: PGlite, or PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

let counter = 0;

/** A fresh copy of the migrated, seeded test database, private to the calling test file. */
export async function openTestDatabase(): Promise<Database> {
	return openDatabaseCopy(inject('pgTemplate'));
}

/** An empty database, not even migrated: for tests of the migrations themselves. */
export async function openBlankDatabase(): Promise<Database> {
	return openDatabaseCopy(null);
}

async function openDatabaseCopy(template: string | null): Promise<Database> {
	const url = process.env.TEST_DATABASE_URL;
	if (!url) {
		if (template === null) return openPglite();
		const snapshot = readFileSync(inject('pgliteSnapshot'));
		return openPglite({ loadDataDir: new Blob([snapshot]) });
	}
	const name = `hailong_t_${process.ppid}_${process.pid}_${counter++}_${Date.now() % 100000}`;
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
	const db = connectPostgres({ url: withDatabase(url, name), poolSize: 4 });
	return {
		...db,
		async close() {
			await db.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/** The whole app on a private database, as the server runs it. */
export async function startTestApp(env: Record<string, string> = {}): Promise<App> {
	return startApp({ db: await openTestDatabase(), config: testConfig(env) });
}

/** Publishes an extra survey definition (a fixture) into a running test app. */
export async function addSurvey(app: App, definition: unknown) {
	const def = surveyDefinition.parse(definition);
	await syncDefinitions(app.db, [def]);
	app.surveys = await loadRegistry(app.db);
	await rollups.prepare(app.db, app.surveys);
	return def;
}
