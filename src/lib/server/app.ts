import { join } from 'node:path';
import { appRoot, loadConfig, type Config } from './config';
import { openDatabase, type Database, migrate, partitions, tidyResponses } from './db';
import { ExportSlots } from './exports';
import { rollups } from './results';
import type { SaltCache } from './responses';
import { devices, type Touchpoint } from './touchpoints';
import { RateLimiter } from './http';
import { seed, type SeedReport } from './seed';
import { loadRegistry, readDefinitionFiles, syncDefinitions, type SurveyRegistry } from './surveys';

/** What every request handler shares: the database and the survey versions. */
export interface App {
	config: Config;
	db: Database;
	surveys: SurveyRegistry;
	seeded: SeedReport;
	limits: {
		qr: RateLimiter;
		qrHourly: RateLimiter;
		signIn: RateLimiter;
		signInClient: RateLimiter;
		pairing: RateLimiter;
	};
	exports: ExportSlots;
	saltCache: SaltCache;
	touchpointCache: Map<string, { touchpoint: Touchpoint | undefined; at: number }>;
}

let current: App | undefined;

/** The running app; set once at start-up (hooks `init`, CLI scripts, test setup). */
export function useApp(): App {
	if (!current) throw new Error('Hài Lòng is not started yet');
	return current;
}

/**
 * Opens the database, applies migrations, validates and records the survey definitions and
 * seeds first-start data. A broken definition file stops here, before anything is served.
 */
export async function startApp(
	options: { config?: Config; db?: Database; root?: string } = {}
): Promise<App> {
	const config = options.config ?? loadConfig();
	const root = options.root ?? appRoot();
	const definitions = readDefinitionFiles(join(root, 'survey-definitions'));
	const db = options.db ?? (await openDatabase(config));
	try {
		await migrate(db);
		await partitions.createAhead(db);
		await syncDefinitions(db, definitions);
		const surveys = await loadRegistry(db);
		await rollups.prepare(db, surveys);
		const seeded = await seed(db, config, surveys, root);
		await tidyResponses(db);
		current = {
			config,
			db,
			surveys,
			seeded,
			limits: {
				qr: new RateLimiter(config.QR_RATE_LIMIT, 60_000),
				qrHourly: new RateLimiter(config.QR_RATE_LIMIT_HOURLY, 60 * 60_000),
				signIn: new RateLimiter(10, 15 * 60_000),
				// Wrong passwords from one address across accounts: room for an office behind one NAT.
				signInClient: new RateLimiter(30, 15 * 60_000),
				// Wrong kiosk pairing codes per client: 8 base32 characters stay out of reach.
				pairing: new RateLimiter(devices.PAIRING_ATTEMPTS, devices.PAIRING_WINDOW_MS)
			},
			exports: new ExportSlots(config.EXPORTS_AT_ONCE, config.EXPORTS_PER_HOUR),
			touchpointCache: new Map(),
			saltCache: new Map()
		};
		return current;
	} catch (error) {
		if (!options.db) await db.close();
		throw error;
	}
}

export async function stopApp() {
	const app = current;
	current = undefined;
	await app?.db.close();
}
