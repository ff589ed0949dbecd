import { error } from '@sveltejs/kit';
import type { Locale } from '$lib/i18n';
import type { App } from '$lib/server/app';
import { requireUnitInScope, type SessionUser } from '$lib/server/auth';
import type { SurveyVersion } from '$lib/server/surveys';
import * as units from '$lib/server/units';

/** The surveys that take paper questionnaires, titled in the page's language. */
export function paperSurveys(app: App, locale: Locale) {
	return app.surveys
		.list()
		.filter((v) => v.definition.channels.includes('paper'))
		.map((v) => ({ id: v.definition.id, title: v.definition.title[locale] }));
}

/**
 * The survey and unit an entry form is for, both from the URL: a survey without paper
 * questionnaires, or a unit outside the user's subtree, answers 404.
 */
export async function entryTarget(
	app: App,
	user: SessionUser,
	surveyId: string,
	unitCode: string
): Promise<{ version: SurveyVersion; unit: units.Unit; rootUnit: string }> {
	const version = app.surveys.current(surveyId);
	if (!version || !version.definition.channels.includes('paper'))
		error(404, 'Không tìm thấy trang / Not found');
	await requireUnitInScope(app.db, user, unitCode);
	const trail = await units.ancestry(app.db, unitCode);
	const unit = trail.at(-1);
	if (!unit) error(404, 'Không tìm thấy trang / Not found');
	return { version, unit, rootUnit: trail[0]!.code };
}
