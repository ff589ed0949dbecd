// `npm test`: the whole suite. Unit and database tests (vitest) on the embedded PGlite, or on the
// PostgreSQL server named by TEST_DATABASE_URL; then the end-to-end tests in Chromium (Playwright)
// against the built app, with JavaScript on and off; then the fault suite (server and database
// killed under load). Ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const only = process.argv[2]; // optional: "unit", "e2e" or "faults"
mkdirSync('test-results', { recursive: true });

function run(command, args, env = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	return result.status ?? 1;
}

function ensureChromium() {
	if (existsSync(CHROMIUM)) return true;
	// A fresh machine of our kind has apt and runs as root: install Debian's Chromium once.
	if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
		console.log("Chromium is missing; installing Debian's chromium package for the browser tests…");
		const env = { DEBIAN_FRONTEND: 'noninteractive' };
		if (
			run('apt-get', ['update', '-qq'], env) === 0 &&
			run('apt-get', ['install', '-y', '-qq', 'chromium'], env) === 0
		) {
			return existsSync(CHROMIUM);
		}
	}
	console.error(
		`No Chromium at ${CHROMIUM}: install Debian's "chromium" package or set CHROMIUM_PATH.`
	);
	return false;
}

const totals = { passed: 0, failed: 0 };
let failedRun = false;

/** A vitest run whose counts join the totals. */
function vitest(out, args = []) {
	rmSync(out, { force: true });
	const status = run('vitest', [
		'run',
		...args,
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${out}`
	]);
	if (existsSync(out)) {
		const report = JSON.parse(readFileSync(out, 'utf8'));
		totals.passed += report.numPassedTests;
		totals.failed += report.numFailedTests;
	}
	if (status !== 0) failedRun = true;
}

if (!only || only === 'unit') vitest('test-results/vitest.json');

if (!only || only === 'e2e') {
	const env = {};
	let dataDir;
	let dropDatabase = async () => {};
	const url = process.env.TEST_DATABASE_URL;
	if (url) {
		// A database of its own for the end-to-end server, made fresh each run.
		const name = `hailong_e2e_${process.pid}`;
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		await admin.unsafe(`drop database if exists ${name}`);
		await admin.unsafe(`create database ${name}`);
		const e2eUrl = new URL(url);
		e2eUrl.pathname = `/${name}`;
		env.E2E_DATABASE_URL = e2eUrl.toString();
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
	} else {
		dataDir = mkdtempSync(join(tmpdir(), 'hailong-e2e-'));
		env.E2E_DATA_DIR = dataDir;
	}
	if (!ensureChromium()) {
		failedRun = true;
	} else {
		const out = 'test-results/playwright.json';
		rmSync(out, { force: true });
		const status = run('playwright', ['test'], {
			...env,
			PLAYWRIGHT_JSON_OUTPUT_NAME: out,
			CHROMIUM_PATH: CHROMIUM
		});
		if (existsSync(out)) {
			const { stats } = JSON.parse(readFileSync(out, 'utf8'));
			totals.passed += stats.expected + stats.flaky;
			totals.failed += stats.unexpected;
		}
		if (status !== 0) failedRun = true;
	}
	await dropDatabase();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

// Last and alone: these start, kill and restart servers (and a PostgreSQL of their own).
if (!only || only === 'faults')
	vitest('test-results/faults.json', ['--config', 'vitest.faults.config.ts']);

console.log(`\ntests${process.env.TEST_DATABASE_URL ? ' (PostgreSQL)' : ' (PGlite)'}:`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedRun || totals.failed > 0 ? 1 : 0);
