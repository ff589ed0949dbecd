// The server process dies or is stopped under load while kiosks retry as they do. Runs on the
// embedded PGlite, or on PostgreSQL when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	freePort,
	freshTarget,
	kioskFleet,
	pairedKiosk,
	report,
	startServer,
	stopServer,
	stored,
	type Server,
	type Target
} from './harness';

let target: Target;
// A tablet of its own for each test, so each test's counts are of its own responses only.
let kiosks: { code: string; token: string }[];

beforeAll(async () => {
	target = await freshTarget();
	kiosks = [await pairedKiosk(target), await pairedKiosk(target)];
}, 120_000);
afterAll(() => target.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('loses nothing when the server is killed (SIGKILL) mid-load and started again', async () => {
	const kiosk = kiosks[0]!;
	const port = await freePort();
	let server: Server = await startServer(target, port);
	let restarted: Promise<void> | undefined;
	const counts = await kioskFleet({
		url: server.url,
		kiosk,
		clients: 8,
		each: 25,
		onAck: (n) => {
			if (n !== 60) return;
			const killed = server;
			killed.child.kill('SIGKILL');
			restarted = killed.exited
				.then(() => sleep(500))
				.then(() => startServer(target, port))
				.then((next) => void (server = next));
		}
	});
	await restarted;
	await stopServer(server);
	const db = await target.open();
	const inDb = await stored(db, kiosk.code, counts.ids).finally(() => db.close());
	report('server killed with SIGKILL and restarted', target, counts, inDb);
	// The kill was felt: some attempts got no answer at all and were sent again.
	expect(counts.statuses.error).toBeGreaterThan(0);
	expect(counts.refused).toBe(0);
	expect(counts.acknowledged).toBe(counts.sent);
	expect(inDb.stored).toBe(counts.acknowledged);
	expect(inDb.duplicates).toBe(0);
}, 300_000);

it('finishes the requests in flight on SIGTERM, exits cleanly, and the next process takes the rest', async () => {
	const kiosk = kiosks[1]!;
	const port = await freePort();
	const first = await startServer(target, port);
	let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
	let next: Promise<Server> | undefined;
	const counts = await kioskFleet({
		url: first.url,
		kiosk,
		clients: 8,
		each: 15,
		onAck: (n) => {
			if (n !== 40) return;
			first.child.kill('SIGTERM');
			exit = first.exited;
			next = first.exited.then(() => sleep(300)).then(() => startServer(target, port));
		}
	});
	// adapter-node stops listening, lets open requests finish, closes the pool, exits 0.
	expect(await exit).toEqual({ code: 0, signal: null });
	await stopServer(await next!);
	// Every request the server began to handle was answered: a retry never met a response stored
	// with its answer lost (that would be a 200 "already stored"). The failures are connections
	// refused while no process listened, or reset before their request was read (adapter-node
	// closes idle connections on shutdown, and a just-accepted one counts as idle).
	expect(counts.statuses['200']).toBeUndefined();
	expect(counts.failures.filter((f) => !/^error (ECONNREFUSED|ECONNRESET)$/.test(f))).toEqual([]);
	const db = await target.open();
	const inDb = await stored(db, kiosk.code, counts.ids).finally(() => db.close());
	report('server stopped with SIGTERM and restarted', target, counts, inDb);
	expect(counts.acknowledged).toBe(counts.sent);
	expect(inDb.stored).toBe(counts.acknowledged);
	expect(inDb.duplicates).toBe(0);
}, 300_000);
