import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { Statement } from './sql';

export type Row = Record<string, unknown>;

/** What query modules need: one statement at a time, or several in one transaction. */
export interface Queryable {
	query<T = Row>(statement: Statement): Promise<T[]>;
}

export interface Database extends Queryable {
	readonly kind: 'pglite' | 'postgres';
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	/** Runs a script of several statements without parameters (migrations). */
	exec(script: string): Promise<void>;
	close(): Promise<void>;
}

export interface PostgresOptions {
	url: string;
	poolSize?: number;
}

/** Connects to a PostgreSQL server through postgres.js. */
export function connectPostgres({ url, poolSize = 10 }: PostgresOptions): Database {
	const client = postgres(url, {
		max: poolSize,
		onnotice: () => {},
		// PGlite returns int8 as a JavaScript number; do the same here so both drivers agree.
		types: {
			bigint: {
				to: 20,
				from: [20],
				serialize: (value: number) => String(value),
				parse: (value: string) => Number(value)
			}
		},
		connection: { TimeZone: 'UTC' }
	});
	const on = (c: postgres.Sql | postgres.TransactionSql): Queryable => ({
		async query<T>({ text, values, customPlan }: Statement) {
			// An unnamed statement is planned anew with its values at every run.
			const rows = await c.unsafe(text, values as postgres.ParameterOrJSON<never>[], {
				prepare: !customPlan
			});
			return rows as unknown as T[];
		}
	});
	return {
		kind: 'postgres',
		...on(client),
		async transaction(fn) {
			return (await client.begin((tx) => fn(on(tx)))) as Awaited<ReturnType<typeof fn>>;
		},
		async exec(script) {
			await client.unsafe(script);
		},
		async close() {
			await client.end({ timeout: 5 });
		}
	};
}

/** Opens an embedded PGlite database, in memory when no directory is given. */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}) {
	const pg = await PGlite.create({
		dataDir: options.dataDir,
		loadDataDir: options.loadDataDir
	});
	await pg.exec(`set time zone 'UTC'`);
	return wrapPglite(pg);
}

function wrapPglite(pg: PGlite): Database & { pglite: PGlite } {
	const on = (c: Pick<PGlite, 'query'>): Queryable => ({
		async query<T>({ text, values }: Statement) {
			const result = await c.query<T>(text, values);
			return result.rows;
		}
	});
	return {
		kind: 'pglite',
		pglite: pg,
		...on(pg),
		transaction: (fn) => pg.transaction((tx) => fn(on(tx))),
		async exec(script) {
			await pg.exec(script);
		},
		async close() {
			if (!pg.closed) await pg.close();
		}
	};
}
