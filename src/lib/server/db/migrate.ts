import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../config';
import type { Database } from './driver';
import { sql } from './sql';

// Read from the source tree at run time: the same files serve the server, the CLI and the tests.
const migrationsDir = join(appRoot(), 'src/lib/server/db/migrations/');

interface Migration {
	version: number;
	name: string;
	script: string;
}

/** Numbered `NNNN_name.sql` files, in order. */
export function listMigrations(dir = migrationsDir): Migration[] {
	return readdirSync(dir)
		.filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
		.sort()
		.map((file) => ({
			version: Number(file.slice(0, 4)),
			name: file.slice(5, -4),
			script: readFileSync(dir + file, 'utf8')
		}));
}

/**
 * Applies the migrations not yet recorded. Each runs as one implicit transaction together with
 * its row in schema_migrations, so a second process migrating at the same moment fails on that
 * row's key and changes nothing.
 * @returns the versions applied by this call
 */
export async function migrate(db: Database, migrations = listMigrations()): Promise<number[]> {
	await db.exec(`create table if not exists schema_migrations (
		version integer primary key,
		name text not null,
		applied_at timestamptz not null default now()
	)`);
	const applied = new Set(
		(await db.query<{ version: number }>(sql`select version from schema_migrations`)).map(
			(r) => r.version
		)
	);
	const done: number[] = [];
	for (const m of migrations) {
		if (applied.has(m.version)) continue;
		const record = `insert into schema_migrations (version, name) values (${m.version}, '${m.name}');\n`;
		try {
			await db.exec(record + m.script);
			done.push(m.version);
		} catch (error) {
			if (isUniqueViolation(error)) continue; // another process applied it first
			throw new Error(`Migration ${m.version}_${m.name} failed: ${(error as Error).message}`, {
				cause: error
			});
		}
	}
	return done;
}

function isUniqueViolation(error: unknown) {
	return (error as { code?: string })?.code === '23505';
}
