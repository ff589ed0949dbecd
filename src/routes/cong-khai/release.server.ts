import { error } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { isReleased, releasedMonths } from '$lib/server/results';
import * as results from '$lib/server/results';
import * as units from '$lib/server/units';
import { parsePeriod, previousRange } from '$lib/survey/periods';

/**
 * One released month of one survey for the whole province and each unit directly under it, as
 * anyone may read it: figures about fewer than 10 people are suppressed exactly as in the public API.
 */
export async function openRelease(url: URL, locale: 'vi' | 'en') {
	const app = useApp();
	const now = new Date();
	const months = releasedMonths(now);
	const month = url.searchParams.get('month') || months[0]!;
	if (!isReleased(month, now)) error(404, translator(locale)('publicRelease.notReleased'));
	const surveys = app.surveys.list().map((v) => v.definition);
	const asked = url.searchParams.get('survey');
	const def = asked
		? surveys.find((d) => d.id === asked)
		: (surveys.find((d) => d.id === 'sipas-one-stop') ?? surveys[0]);
	if (!def) error(404, 'Không tìm thấy phiếu khảo sát / Survey not found');
	const all = await units.list(app.db);
	const root = all.find((u) => u.parentCode === null)!;
	const range = parsePeriod(month)!;
	const found = await results.forUnit(
		app.db,
		app.surveys,
		{ surveyId: def.id, unitCode: root.code, range, groupBy: 'unit' },
		{ full: false }
	);
	// The month before, province-wide, for the headline's month-on-month change.
	const previous = await results.forUnit(
		app.db,
		app.surveys,
		{ surveyId: def.id, unitCode: root.code, range: previousRange(month, range) },
		{ full: false }
	);
	return { app, months, month, surveys, def, root, units: all, found, previous };
}
