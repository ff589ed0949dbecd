import postgres from 'postgres';

async function withAdmin<T>(adminUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		return await fn(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** Throwaway databases carry the bench's pid, so leftovers of a killed run can be told apart. */
export const DATABASE_PREFIX = 'hailong_bench_';

export function databaseName(label: string): string {
	return `${DATABASE_PREFIX}${process.pid}_${label}`;
}

export function databaseUrl(adminUrl: string, name: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Creates an empty database (replacing one of the same name) and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
	await withAdmin(adminUrl, async (sql) => {
		await sql.unsafe(`drop database if exists ${name} with (force)`);
		await sql.unsafe(`create database ${name}`);
	});
	return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
	await withAdmin(adminUrl, async (sql) => {
		await sql.unsafe(`drop database if exists ${name} with (force)`);
	});
}

export async function benchDatabases(adminUrl: string): Promise<string[]> {
	return withAdmin(adminUrl, async (sql) => {
		const rows = await sql<{ datname: string }[]>`
			select datname from pg_database where starts_with(datname, ${DATABASE_PREFIX})`;
		return rows.map((r) => r.datname);
	});
}

export async function serverVersion(adminUrl: string): Promise<string> {
	return withAdmin(adminUrl, async (sql) => {
		const [row] = await sql<{ server_version: string }[]>`show server_version`;
		return row?.server_version ?? 'unknown';
	});
}
