import type { App } from '../../src/lib/server/app';
import * as responses from '../../src/lib/server/responses';
import * as touchpoints from '../../src/lib/server/touchpoints';
import type { Touchpoint } from '../../src/lib/server/touchpoints';
import type { Channel } from '../../src/lib/survey/definition';

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
