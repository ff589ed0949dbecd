import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://localhost:${port}`;

export const E2E_ADMIN = { email: 'admin@e2e.hailong', password: 'e2e-admin-password' };

export default defineConfig({
	testDir: 'tests/e2e',
	// One server and one database for the run: tests that count responses must not interleave.
	workers: 1,
	timeout: 30_000,
	// On CI a test that fails is run once more and, if it then passes, reported as flaky (the
	// JSON report and the list keep it visible); locally every failure stands.
	retries: process.env.CI ? 1 : 0,
	outputDir: 'test-results/e2e',
	reporter: [
		['list'],
		[
			'json',
			{ outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }
		]
	],
	use: {
		baseURL,
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{
			name: 'js-on',
			use: { javaScriptEnabled: true },
			testIgnore: /startup|a11y|access|kiosk|screens/
		},
		{
			name: 'js-off',
			use: { javaScriptEnabled: false },
			testIgnore: /startup|a11y|access|kiosk|screens/
		},
		// Screenshots of the staff pages at three sizes, attached to the report.
		{ name: 'screens', use: { javaScriptEnabled: true }, testMatch: /screens/ },
		// The kiosk is an app on a tablet: JavaScript on, its own server behind a fault proxy.
		{ name: 'kiosk', use: { javaScriptEnabled: true }, testMatch: /kiosk\/.*\.spec/ },
		// axe needs JavaScript to run; the pages it checks render the same without it.
		{ name: 'a11y', use: { javaScriptEnabled: true }, testMatch: /a11y/ },
		// HTTP only, no browser: the server itself (start-up, access rules, headers).
		{ name: 'server', testMatch: /startup|access/ }
	],
	webServer: {
		command: 'node scripts/start.js',
		url: `${baseURL}/healthz`,
		timeout: 240_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: {
			PORT: String(port),
			ORIGIN: baseURL,
			ADMIN_EMAIL: E2E_ADMIN.email,
			ADMIN_PASSWORD: E2E_ADMIN.password,
			QR_RATE_LIMIT: '0',
			QR_RATE_LIMIT_HOURLY: '0',
			...(process.env.E2E_DATABASE_URL
				? { DATABASE_URL: process.env.E2E_DATABASE_URL }
				: { DATA_DIR: process.env.E2E_DATA_DIR ?? 'data/e2e' })
		}
	}
});
