import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['tests/setup/global-db.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Two cores: more workers only fight over the CPU and PGlite start-up.
		maxWorkers: 2
	}
});
