import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// A script inlined as a data: URL would be blocked by the CSP (script-src 'self').
		assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined)
	},
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/hostile/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/setup/global-db.ts'],
		// A test that asserts nothing cannot fail; vitest refuses it.
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Two cores: more workers only fight over the CPU and PGlite start-up.
		maxWorkers: 2
	}
});
