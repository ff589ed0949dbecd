import { loadConfig, type Config } from '../../src/lib/server/config';

export const TEST_ADMIN = { email: 'admin@test.hailong', password: 'test-admin-password' };

/** The configuration every test app runs with. */
export function testConfig(overrides: Record<string, string> = {}): Config {
	return loadConfig({
		ADMIN_EMAIL: TEST_ADMIN.email,
		ADMIN_PASSWORD: TEST_ADMIN.password,
		QR_RATE_LIMIT: '0',
		QR_RATE_LIMIT_HOURLY: '0',
		LOG_LEVEL: 'error',
		...overrides
	});
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}
