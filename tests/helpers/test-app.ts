import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { startApp, type App } from '../../src/lib/server/app';
import {
	connectPostgres,
	listMigrations,
	migrate,
	openPglite,
	sql,
	type Database
} from '../../src/lib/server/db';
import { rollups } from '../../src/lib/server/results';
import { loadRegistry, syncDefinitions } from '../../src/lib/server/surveys';
import { surveyDefinition } from '../../src/lib/survey/definition';
import { testConfig, withDatabase } from './config';
import { numbersSurvey } from './fixtures';

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

/**
 * A blank database migrated up to, not including, migration `version`, holding the province and
 * the numbers survey: where a test of that migration on data stored before it starts.
 */
export async function openDatabaseBefore(version: number): Promise<Database> {
	const db = await openBlankDatabase();
	await migrate(
		db,
		listMigrations().filter((m) => m.version < version)
	);
	await db.query(
		sql`insert into units (code, kind, name_vi, name_en) values ('AG', 'province', 'An Giang', 'An Giang')`
	);
	await syncDefinitions(db, [surveyDefinition.parse(numbersSurvey)]);
	return db;
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

/** The whole app with the numbers survey (see fixtures) published: where most data tests start. */
export async function startNumbersApp(env: Record<string, string> = {}): Promise<App> {
	const app = await startTestApp(env);
	await addSurvey(app, numbersSurvey);
	return app;
}
