import type { App } from '../../src/lib/server/app';
import { sql } from '../../src/lib/server/db';
import * as responses from '../../src/lib/server/responses';
import * as touchpoints from '../../src/lib/server/touchpoints';
import { devices, type Touchpoint } from '../../src/lib/server/touchpoints';
import type { Channel } from '../../src/lib/survey/definition';
import { startTestApp } from './test-app';

/** Creates a touchpoint and returns it as ingest sees it. */
export async function touchpointAt(
	app: App,
	surveyId: string,
	unitCode: string,
	channel: Channel = 'qr'
): Promise<Touchpoint> {
	const code = await touchpoints.create(app.db, { surveyId, unitCode, channel });
	return (await touchpoints.findByCode(app.db, code))!;
}

/** A test app with one touchpoint of AG.LX for a seeded survey: where a test of one door starts. */
export async function startAppWithTouchpoint(surveyId: string, channel: Channel) {
	const app = await startTestApp();
	return { app, touchpoint: await touchpointAt(app, surveyId, 'AG.LX', channel) };
}

/** A kiosk tablet paired to the touchpoint, as the pairing endpoint leaves it: with its token. */
export async function pairedDevice(app: App, touchpoint: Touchpoint, name = 'Quầy thử') {
	const { code } = await devices.create(app.db, {
		touchpointId: touchpoint.id,
		name,
		createdBy: 'test'
	});
	return (await devices.pair(app.db, code))!;
}

/** How many responses are stored, of every survey and unit. */
export async function countResponses(app: App) {
	const [row] = await app.db.query<{ n: number }>(sql`select count(*)::int as n from responses`);
	return row!.n;
}

/**
 * A paper questionnaire of AG.LX for the numbers survey, prepared for the bulk path
 * (`responses.insertMany`, as the paper import uses it), failing loudly if its answers are refused.
 */
export function paperRow(
	app: App,
	answers: Record<string, unknown>,
	extra: Partial<Parameters<typeof responses.prepare>[1]> = {}
) {
	const prepared = responses.prepare(app.surveys.current('test-numbers')!, {
		id: crypto.randomUUID(),
		touchpointId: null,
		unitCode: 'AG.LX',
		rootUnit: 'AG',
		channel: 'paper',
		locale: 'vi',
		reportedAt: null,
		receivedAt: new Date(),
		where: 'AG.LX',
		answers,
		...extra
	});
	if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
	return prepared.row;
}

/** Stores one response answered at `at` (received a minute later), failing loudly if refused. */
export async function answer(
	app: App,
	touchpoint: Touchpoint,
	at: string,
	answers: Record<string, unknown>
) {
	const reportedAt = new Date(at);
	const result = await responses.store(app.db, app.surveys, {
		id: crypto.randomUUID(),
		touchpoint,
		reportedAt,
		receivedAt: new Date(reportedAt.getTime() + 60_000),
		locale: 'vi',
		answers
	});
	if (result.status !== 'stored') throw new Error(`not stored: ${JSON.stringify(result)}`);
	return result.id;
}
