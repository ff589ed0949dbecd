import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { FaultProxy } from './fault-proxy';

export const KIOSK_ADMIN = { email: 'kiosk-admin@e2e.hailong', password: 'kiosk-e2e-password' };

/**
 * A server of the kiosk tests' own, behind a fault proxy: these tests cut the network, restart
 * the server with a new survey version and count responses per unit, which would disturb the
 * shared server. On PostgreSQL runs (E2E_DATABASE_URL) it gets a throwaway database there.
 */
export class KioskServer {
	readonly root = mkdtempSync(join(tmpdir(), 'hailong-kiosk-'));
	readonly proxy: FaultProxy;
	private child: ChildProcess | null = null;
	private database: string | null = null;
	private databaseUrl = '';

	constructor(
		readonly serverPort: number,
		readonly proxyPort: number
	) {
		this.proxy = new FaultProxy(serverPort, proxyPort);
		const project = resolve('.');
		cpSync(join(project, 'survey-definitions'), join(this.root, 'survey-definitions'), {
			recursive: true
		});
		symlinkSync(join(project, 'seeds'), join(this.root, 'seeds'));
		symlinkSync(join(project, 'src'), join(this.root, 'src'));
		mkdirSync(join(this.root, 'data'));
	}

	/** The address tablets use, through the fault proxy; also the server's ORIGIN. */
	get url() {
		return `http://localhost:${this.proxyPort}`;
	}

	get directUrl() {
		return `http://localhost:${this.serverPort}`;
	}

	async start() {
		await this.proxy.listen();
		const admin = process.env.E2E_DATABASE_URL;
		let databaseUrl = '';
		if (admin) {
			this.database = `hailong_kiosk_${process.pid}`;
			const sql = postgres(admin, { max: 1, onnotice: () => {} });
			await sql.unsafe(`drop database if exists ${this.database} with (force)`);
			await sql.unsafe(`create database ${this.database}`);
			await sql.end();
			const url = new URL(admin);
			url.pathname = `/${this.database}`;
			databaseUrl = url.href;
		}
		await this.boot(databaseUrl);
	}

	private async boot(databaseUrl: string) {
		this.child = spawn(process.execPath, [resolve('build/index.js')], {
			env: {
				...process.env,
				PORT: String(this.serverPort),
				ORIGIN: this.url,
				APP_ROOT: this.root,
				DATA_DIR: join(this.root, 'data'),
				DATABASE_URL: databaseUrl,
				ADMIN_EMAIL: KIOSK_ADMIN.email,
				ADMIN_PASSWORD: KIOSK_ADMIN.password,
				SEED_DEMO: '0',
				LOG_LEVEL: 'error'
			},
			stdio: ['ignore', 'ignore', 'inherit']
		});
		this.databaseUrl = databaseUrl;
		const deadline = Date.now() + 90_000;
		while (Date.now() < deadline) {
			const ok = await fetch(`http://127.0.0.1:${this.serverPort}/healthz`)
				.then((r) => r.ok)
				.catch(() => false);
			if (ok) return;
			if (this.child.exitCode !== null) throw new Error('the kiosk test server stopped');
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error('the kiosk test server did not start');
	}

	async stopServer() {
		const child = this.child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}

	/** Publishes a definition as the deployment does: a file in survey-definitions, a restart. */
	async restartWith(definitionFile: string, definition: unknown) {
		await this.stopServer();
		writeFileSync(
			join(this.root, 'survey-definitions', definitionFile),
			JSON.stringify(definition, null, '\t')
		);
		await this.boot(this.databaseUrl);
	}

	async stop() {
		await this.stopServer();
		await this.proxy.close();
		if (this.database) {
			const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
			await sql.unsafe(`drop database if exists ${this.database} with (force)`);
			await sql.end();
		}
		rmSync(this.root, { recursive: true, force: true });
	}
}
