import { randomUUID } from 'node:crypto';
import { type Database, sql, partitions } from '$lib/server/db';
import * as responses from '$lib/server/responses';
import type { SurveyVersion } from '$lib/server/surveys';
import * as touchpoints from '$lib/server/touchpoints';
import { localDate, startOfLocalDate } from '$lib/survey/periods';
import { likertQuestions, realisticAnswers, seeded, type Random } from './answers';

export interface Place {
	unitCode: string;
	rootUnit: string;
	touchpointId: number;
	code: string;
}

/** Every unit of the seeded tree, each with a QR touchpoint of the survey. */
export async function places(db: Database, surveyId: string): Promise<Place[]> {
	const units = await db.query<{ code: string }>(sql`select code from units order by code`);
	const found: Place[] = [];
	for (const { code: unitCode } of units) {
		const [existing] = await touchpoints.forSurveyAtUnit(db, surveyId, unitCode, 'qr');
		const code =
			existing?.code ?? (await touchpoints.create(db, { surveyId, unitCode, channel: 'qr' }));
		const tp = await touchpoints.findByCode(db, code);
		if (!tp) throw new Error(`touchpoint ${code} vanished`);
		found.push({ unitCode, rootUnit: tp.rootUnit, touchpointId: tp.id, code });
	}
	return found;
}

// Five whole years of local dates, 2019-01-01 to 2023-12-31 (Asia/Ho_Chi_Minh).
const FIRST = startOfLocalDate('2019-01-01').getTime();
const END = startOfLocalDate('2024-01-01').getTime();
const YEARS = 5;
const DAY = 86_400_000;

/** A QR answer sent from the phone seconds later, or (a quarter of them) a paper form keyed in. */
function syntheticRow(
	version: SurveyVersion,
	place: Place,
	questions: ReturnType<typeof likertQuestions>,
	rand: Random
): responses.ResponseRow {
	const at = new Date(FIRST + Math.floor(rand() * (END - FIRST)));
	const date = localDate(at);
	const where =
		rand() < 0.25
			? {
					channel: 'paper' as const,
					touchpointId: null,
					reportedAt: null,
					receivedAt: new Date(at.getTime() + Math.floor(rand() * 14 * DAY)),
					where: place.unitCode,
					paperDate: { effectiveAt: startOfLocalDate(date), localDate: date }
				}
			: {
					channel: 'qr' as const,
					touchpointId: place.touchpointId,
					reportedAt: at,
					receivedAt: new Date(at.getTime() + 500 + Math.floor(rand() * 20_000)),
					where: place.code
				};
	const prepared = responses.prepare(version, {
		id: randomUUID(),
		unitCode: place.unitCode,
		rootUnit: place.rootUnit,
		locale: rand() < 0.95 ? 'vi' : 'en',
		answers: realisticAnswers(questions, rand),
		...where
	});
	if (!prepared.ok)
		throw new Error(`generated answers rejected: ${JSON.stringify(prepared.errors)}`);
	return prepared.row;
}

/**
 * Adds responses until the table holds `to` of them, through the app's bulk path (prepare +
 * insertMany), spread evenly over the units and the five years, reporting progress as it goes.
 * @returns the seconds it took
 */
export async function generate(
	db: Database,
	version: SurveyVersion,
	where: Place[],
	{ from, to, seed, label }: { from: number; to: number; seed: number; label: string },
	write: (text: string) => void
): Promise<number> {
	// A live server would have created these months one by one as they came; without them every
	// generated row would sit in the default partition and no query could prune a month.
	for (const month of partitions.monthsFrom(localDate(new Date(FIRST)), YEARS * 12 - 1)) {
		await partitions.addMonth(db, month);
	}
	const rand = seeded(seed);
	const questions = likertQuestions(version.definition);
	const started = performance.now();
	const chunk = 10_000;
	const progress = (done: number) => {
		const rate = (done - from) / ((performance.now() - started) / 1000);
		write(
			`\r${label}: ${done.toLocaleString('en')} / ${to.toLocaleString('en')} rows, ` +
				`${Math.round(rate).toLocaleString('en')} rows/s   `
		);
	};
	for (let done = from; done < to;) {
		const n = Math.min(chunk, to - done);
		const rows = Array.from({ length: n }, () =>
			syntheticRow(version, where[Math.floor(rand() * where.length)]!, questions, rand)
		);
		const added = await responses.insertMany(db, rows);
		if (added !== n) throw new Error(`inserted ${added} of ${n} generated rows`);
		done += n;
		progress(done);
	}
	write('\n');
	return (performance.now() - started) / 1000;
}
