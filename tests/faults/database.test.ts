// PostgreSQL misbehaves under load: restarted, refusing writes, out of connections. Only in the
// PostgreSQL run (vitest.faults.config.ts includes this file when TEST_DATABASE_URL is set): the
// embedded PGlite lives inside the server process, so the server faults cover it.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	freePort,
	freshTarget,
	kioskFleet,
	pairedKiosk,
	report,
	startServer,
	stopServer,
	stored,
	type Target
} from './harness';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Generic, in Vietnamese, without the database's words: what a 503 body may say.
const leaks = /read-only|transaction|sql|postgres|select|insert|connect|stack|at \w+ \(/i;

it('loses nothing when the PostgreSQL server crashes mid-load and comes back', async () => {
	let pg: PrivatePostgres | undefined;
	let target: Target | undefined;
	try {
		pg = startPrivatePostgres(await freePort());
		target = await freshTarget(pg.url);
		const kiosk = await pairedKiosk(target);
		const server = await startServer(target, await freePort());
		let restarted: Promise<void> | undefined;
		const counts = await kioskFleet({
			url: server.url,
			kiosk,
			clients: 8,
			each: 25,
			onAck: (n) => {
				if (n === 60) restarted = pg!.crashAndRestart(2000);
			}
		});
		await restarted;
		// Once PostgreSQL is back the same server process answers again: no restart needed.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		await stopServer(server);
		const db = await target.open();
		const inDb = await stored(db, kiosk.code, counts.ids).finally(() => db.close());
		report('PostgreSQL crashed (immediate stop) and restarted', target, counts, inDb);
		expect(counts.statuses['503']).toBeGreaterThan(0);
		expect(counts.failures.filter((f) => f.startsWith('503') && leaks.test(f))).toEqual([]);
		expect(counts.refused).toBe(0);
		expect(counts.acknowledged).toBe(counts.sent);
		expect(inDb.stored).toBe(counts.acknowledged);
		expect(inDb.duplicates).toBe(0);
	} finally {
		await target?.dispose().catch(() => {});
		pg?.dispose();
	}
});

describe('on the shared PostgreSQL server', () => {
	let target: Target;
	let admin: postgres.Sql;
	let database: string;

	beforeAll(async () => {
		target = await freshTarget();
		database = new URL(target.env.DATABASE_URL!).pathname.slice(1);
		admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
	});
	afterAll(async () => {
		await admin.end();
		await target.dispose();
	});

	/** Cuts the database's connections, so the server's next ones open with the new setting. */
	const reconnect = () =>
		admin`select pg_terminate_backend(pid) from pg_stat_activity
			where datname = ${database} and pid <> pg_backend_pid()`;

	it('answers 503 while the database refuses writes, and recovers without a restart', async () => {
		const kiosk = await pairedKiosk(target);
		const server = await startServer(target, await freePort());
		let outage: Promise<void> | undefined;
		const counts = await kioskFleet({
			url: server.url,
			kiosk,
			clients: 8,
			each: 25,
			onAck: (n) => {
				if (n !== 60) return;
				// As a full disk or a revoked grant would: every write fails for three seconds.
				outage = (async () => {
					await admin.unsafe(`alter database ${database} set default_transaction_read_only = on`);
					await reconnect();
					await sleep(3000);
					await admin.unsafe(`alter database ${database} reset default_transaction_read_only`);
					await reconnect();
				})();
			}
		});
		await outage;
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		await stopServer(server);
		const db = await target.open();
		const inDb = await stored(db, kiosk.code, counts.ids).finally(() => db.close());
		report('database refusing writes for 3 s', target, counts, inDb);
		expect(counts.statuses['503']).toBeGreaterThan(0);
		expect(counts.failures.filter((f) => !f.startsWith('503') && !f.startsWith('error'))).toEqual(
			[]
		);
		expect(counts.failures.filter((f) => leaks.test(f.replace(/^error \w+$/, '')))).toEqual([]);
		expect(counts.acknowledged).toBe(counts.sent);
		expect(inDb.stored).toBe(counts.acknowledged);
		expect(inDb.duplicates).toBe(0);
	});

	it('queues or refuses with 503 when 400 requests meet a pool of 2, and never falls over', async () => {
		const kiosk = await pairedKiosk(target);
		const server = await startServer(target, await freePort(), { DATABASE_POOL_SIZE: '2' });
		// 400 kiosks at once, each with one response: the burst of a hall reconnecting.
		const counts = await kioskFleet({ url: server.url, kiosk, clients: 400, each: 1 });
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect(server.child.exitCode).toBeNull();
		await stopServer(server);
		const db = await target.open();
		const inDb = await stored(db, kiosk.code, counts.ids).finally(() => db.close());
		report('400 concurrent requests on a pool of 2', target, counts, inDb);
		// Anything but stored, queued-then-stored or 503 (retried) would be a failure.
		expect(Object.keys(counts.statuses).filter((s) => !['201', '503'].includes(s))).toEqual([]);
		expect(counts.acknowledged).toBe(counts.sent);
		expect(inDb.stored).toBe(counts.acknowledged);
		expect(inDb.duplicates).toBe(0);
	});
});
