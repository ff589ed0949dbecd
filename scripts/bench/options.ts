// What a bench run measures and how long, from the environment (see index.ts for the list).

/** The survey every measurement uses: the national SIPAS one-stop questionnaire. */
export const SURVEY = 'sipas-one-stop';

/** A problem with the setup, told as it is: printed without a stack trace. */
export class SetupError extends Error {}

export const PARTS = [
	'ingest',
	'results-pglite',
	'results-postgres',
	'export',
	'weight',
	'kiosk',
	'import',
	'fuzz'
] as const;
export type Part = (typeof PARTS)[number];

/** What every app the bench starts runs with: a known administrator and no submission limit. */
export const BENCH_ENV = {
	ADMIN_EMAIL: 'admin@bench.hailong',
	ADMIN_PASSWORD: 'bench-admin-password',
	QR_RATE_LIMIT: '0',
	QR_RATE_LIMIT_HOURLY: '0'
};

export interface Options {
	adminUrl: string;
	seconds: number;
	warmupSeconds: number;
	sizes: number[];
	skip: Set<Part>;
	concurrency: number;
	/** The server's pool; the bare-INSERT baseline gets a pool of the same size. */
	poolSize: number;
	queries: number;
	/** An existing PostgreSQL results database to time again instead of generating one anew. */
	reuseDatabase: string | null;
	/** Rows of the generated CSV the import part imports (the budget is for 100,000). */
	importRows: number;
	fuzzSeconds: number;
	/** The fuzz's seed: printed with the report, so a run that found something can be replayed. */
	fuzzSeed: number;
}

function positiveInt(name: string, raw: string): number {
	const n = Number(raw.replaceAll('_', ''));
	if (!Number.isInteger(n) || n <= 0)
		throw new SetupError(`${name}: "${raw}" is not a positive integer`);
	return n;
}

export function readOptions(env: Record<string, string | undefined> = process.env): Options {
	const seconds = positiveInt('BENCH_SECONDS', env.BENCH_SECONDS || '15');
	const sizes = (env.BENCH_SIZES || '100000,1000000')
		.split(',')
		.map((s) => positiveInt('BENCH_SIZES', s.trim()));
	const skip = new Set<Part>();
	for (const raw of (env.BENCH_SKIP ?? '').split(',')) {
		const part = raw.trim();
		if (!part) continue;
		if (!(PARTS as readonly string[]).includes(part)) {
			throw new SetupError(`BENCH_SKIP: unknown part "${part}" (known: ${PARTS.join(', ')})`);
		}
		skip.add(part as Part);
	}
	return {
		adminUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
		seconds,
		// Long enough for connections, JIT and prepared statements to settle, short next to the run.
		warmupSeconds: Math.min(3, Math.max(1, Math.round(seconds / 5))),
		// Growing sizes let each step add only the difference to the same database.
		sizes: [...new Set(sizes)].sort((a, b) => a - b),
		skip,
		concurrency: 64,
		poolSize: positiveInt('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE || '10'),
		queries: 60,
		reuseDatabase: env.BENCH_REUSE_DATABASE || null,
		importRows: positiveInt('BENCH_IMPORT_ROWS', env.BENCH_IMPORT_ROWS || '100000'),
		fuzzSeconds: positiveInt('BENCH_FUZZ_SECONDS', env.BENCH_FUZZ_SECONDS || '30'),
		fuzzSeed: env.BENCH_FUZZ_SEED
			? positiveInt('BENCH_FUZZ_SEED', env.BENCH_FUZZ_SEED)
			: // Fixed unless asked otherwise: the same run finds the same things.
				20261128
	};
}

/** The command that reproduces this run, with the BENCH_* settings it was given. */
export function commandLine(env: Record<string, string | undefined> = process.env): string {
	const set = [
		'BENCH_SECONDS',
		'BENCH_SIZES',
		'BENCH_SKIP',
		'BENCH_DATABASE_URL',
		'DATABASE_POOL_SIZE',
		'BENCH_IMPORT_ROWS',
		'BENCH_FUZZ_SECONDS',
		'BENCH_FUZZ_SEED'
	]
		.filter((name) => env[name])
		.map((name) => `${name}=${env[name]}`);
	return [...set, 'npm run bench'].join(' ');
}
