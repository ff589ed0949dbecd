import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { join } from 'node:path';
import type { Config } from './config';
import type { Database } from './db';
import { createUser, countUsers } from './auth';
import { log } from './log';
import type { SurveyRegistry } from './surveys';
import * as touchpoints from './touchpoints';
import * as units from './units';

export const DEMO_UNIT = 'AG.TTHCC';

export interface SeedReport {
	/** Set only when this call created the administrator with a generated password. */
	generatedPassword?: string;
	adminEmail?: string;
	qrCodes: { survey: string; code: string }[];
}

/**
 * First-start data: the unit list, the first administrator and one QR touchpoint per survey at
 * the province's public administration centre. Safe to run on every start: it only adds.
 */
export async function seed(
	db: Database,
	config: Config,
	surveys: SurveyRegistry,
	root: string
): Promise<SeedReport> {
	await units.insertMissing(db, units.readUnitsCsv(join(root, 'seeds/units.csv')));
	const report: SeedReport = { qrCodes: [] };
	if ((await countUsers(db)) === 0) {
		const password =
			config.ADMIN_PASSWORD ??
			encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
		await createUser(db, { email: config.ADMIN_EMAIL, password, role: 'admin' });
		report.adminEmail = config.ADMIN_EMAIL;
		if (!config.ADMIN_PASSWORD) report.generatedPassword = password;
	}
	if (config.SEED_DEMO === '1' && (await units.get(db, DEMO_UNIT))) {
		for (const { definition } of surveys.list()) {
			if (!definition.channels.includes('qr')) continue;
			const [existing] = await touchpoints.forSurveyAtUnit(db, definition.id, DEMO_UNIT, 'qr');
			const code =
				existing?.code ??
				(await touchpoints.create(db, {
					surveyId: definition.id,
					unitCode: DEMO_UNIT,
					channel: 'qr'
				}));
			report.qrCodes.push({ survey: definition.id, code });
		}
	}
	log.debug('seeded', { qr: report.qrCodes.length });
	return report;
}
