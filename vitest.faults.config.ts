import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The fault suite (npm test runs it after the browser tests): real server processes killed and
// restarted, one file at a time, so nothing else competes for the ports, the CPU or the database.
// The database faults need PostgreSQL: they belong to the run with TEST_DATABASE_URL.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: [
			'tests/faults/server.test.ts',
			...(process.env.TEST_DATABASE_URL ? ['tests/faults/database.test.ts'] : [])
		],
		environment: 'node',
		expect: { requireAssertions: true },
		fileParallelism: false,
		testTimeout: 300_000,
		hookTimeout: 180_000
	}
});
