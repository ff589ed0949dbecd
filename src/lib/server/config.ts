import { resolve } from 'node:path';
import { z } from 'zod';
import { parseOpeningHours } from '../kiosk/opening-hours';

const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
	PORT: port.default(3000),
	HOST: z.string().default('0.0.0.0'),
	ORIGIN: z.string().url().optional(),
	DATA_DIR: z.string().default('./data'),
	DATABASE_URL: z.string().optional(),
	DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
	ADMIN_EMAIL: z.string().email().default('admin@hailong.local'),
	ADMIN_PASSWORD: z.string().min(8).optional(),
	SEED_DEMO: z.enum(['0', '1']).default('1'),
	QR_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
	QR_RATE_LIMIT_HOURLY: z.coerce.number().int().min(0).default(300),
	// Downloads at once per server process (each holds a database connection while it streams),
	// and per user per hour.
	EXPORTS_AT_ONCE: z.coerce.number().int().min(1).max(50).default(2),
	EXPORTS_PER_HOUR: z.coerce.number().int().min(0).default(60),
	// When kiosks are expected to be on: a kiosk silent for 30 minutes of this time is flagged.
	KIOSK_OPENING_HOURS: z
		.string()
		.default('Mon-Fri 07:00-11:30,13:00-17:00')
		.refine(
			(v) => parseOpeningHours(v) !== null,
			'like "Mon-Fri 07:00-11:30,13:00-17:00; Sat 07:00-11:30"'
		),
	// Days a unit has to answer a citizen's complaint before the case shows as overdue.
	FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(365).default(15),
	REQUIRE_ADMIN_MFA: z.enum(['0', '1']).default('0'),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info')
});

export type Config = z.infer<typeof envSchema>;

/** Reads and checks the environment; a bad value stops start-up with the variable's name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
	const parsed = envSchema.safeParse(clean);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
	}
	return parsed.data;
}

/** The project directory, holding survey-definitions/, seeds/ and the migrations. */
export function appRoot(): string {
	return resolve(process.env.APP_ROOT ?? process.cwd());
}
