import { translator, type Locale } from '$lib/i18n';
import vi from '$lib/i18n/vi.json';
import { NA } from '$lib/survey/answers';
import { allQuestions, type Question } from '$lib/survey/definition';
import { isIsoDate, localDate, startOfLocalDate } from '$lib/survey/periods';
import { audit, type Actor } from '../audit';
import { stableUuid } from './stable-id';
import { type Database, type Queryable, sql } from '../db';
import * as responses from '../responses';
import type { SurveyVersion } from '../surveys';
import { lineControls } from '$lib/survey/text';

/** Form field names of the sheet's own data; question ids never start with `_`. */
export const SERIAL = '_serial';
export const DATE = '_date';
export const SERIAL_MAX = 40;
const EARLIEST_DATE = '2000-01-01';
/** Problems with a wording for clerks; the others keep the respondents' wording. */
const clerkWording = new Set(Object.keys(vi.entry.errors));

/** One paper questionnaire as the clerk typed it: every value a string, untrimmed. */
export interface PaperSheet {
	serial: string;
	date: string;
	/** Typed answers by question id. */
	values: Record<string, string>;
}

/** A problem with one field of the sheet: `_serial`, `_date` or a question id. */
export interface FieldError {
	field: string;
	message: string;
}

export type EntryResult =
	| { status: 'stored' | 'duplicate' | 'conflict'; id: string; serial: string }
	| { status: 'invalid'; errors: FieldError[] };

/** Reads a posted entry form: the sheet's fields and one value per question of the survey. */
export function readSheet(version: SurveyVersion, form: FormData): PaperSheet {
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : '';
	};
	const values: Record<string, string> = {};
	for (const q of allQuestions(version.definition)) values[q.id] = text(q.id);
	return { serial: text(SERIAL), date: text(DATE), values };
}

/** The response id of a paper questionnaire: keying the same sheet twice stores it once. */
export function paperResponseId(surveyId: string, unitCode: string, serial: string): string {
	return stableUuid('paper', surveyId, unitCode, serial);
}

/** A serial as stored: trimmed, in NFC so the same number typed twice is the same serial. */
export function normaliseSerial(serial: string): string {
	return serial.normalize('NFC').trim();
}

interface Problem {
	field: string;
	code: string;
	params?: Record<string, number | string>;
}

const isNA = (value: string) => value === 'N' || value === 'n' || value === NA;

/**
 * Turns what was typed into answers of the JSON types the survey takes: a digit for a scale, the
 * option's position for a choice, several positions for a multiple choice, N for N/A. Values that
 * cannot be read are reported here; ranges, N/A and required answers are left to the shared check.
 */
export function answersFromSheet(
	questions: Question[],
	values: Record<string, string>
): { answers: Record<string, unknown>; problems: Problem[] } {
	const answers: Record<string, unknown> = {};
	const problems: Problem[] = [];
	for (const q of questions) {
		const raw = values[q.id] ?? '';
		const typed = q.type === 'text' ? raw : raw.trim();
		if (typed.trim() === '') continue;
		if (q.type !== 'text' && isNA(typed)) {
			answers[q.id] = NA;
			continue;
		}
		switch (q.type) {
			case 'likert5':
			case 'rating3':
			case 'percent':
				// A non-number goes through as text, which the shared check reports with the range.
				answers[q.id] = /^\d{1,3}$/.test(typed) ? Number(typed) : typed;
				break;
			case 'choice': {
				const max = q.options.length;
				const picks = q.multiple ? typed.split(/[\s,;]+/).filter(Boolean) : [typed];
				const chosen = picks.map((p) => (/^\d{1,2}$/.test(p) ? q.options[Number(p) - 1] : null));
				if (chosen.some((o) => !o) || (!q.multiple && picks.length !== 1)) {
					problems.push({ field: q.id, code: q.multiple ? 'options' : 'option', params: { max } });
				} else {
					const optionValues = chosen.map((o) => o!.value);
					answers[q.id] = q.multiple ? optionValues : optionValues[0];
				}
				break;
			}
			case 'text':
				answers[q.id] = typed;
		}
	}
	return { answers, problems };
}

function checkSerial(serial: string): Problem | null {
	if (!serial) return { field: SERIAL, code: 'serialRequired' };
	if ([...serial].length > SERIAL_MAX)
		return { field: SERIAL, code: 'serialTooLong', params: { max: SERIAL_MAX } };
	if (lineControls.test(serial) || !serial.isWellFormed())
		return { field: SERIAL, code: 'serialInvalid' };
	return null;
}

function checkDate(date: string, today: string): Problem | null {
	if (!isIsoDate(date) || date < EARLIEST_DATE) return { field: DATE, code: 'dateInvalid' };
	if (date > today) return { field: DATE, code: 'dateFuture' };
	return null;
}

/**
 * Checks and stores one keyed-in paper questionnaire through the same preparation as every other
 * response (channel `paper`, dated by the date on the sheet), with its serial and the clerk who
 * keyed it. Every problem is reported at once; nothing is stored unless the whole sheet is valid.
 */
export async function enter(
	db: Database,
	version: SurveyVersion,
	input: {
		unitCode: string;
		rootUnit: string;
		sheet: PaperSheet;
		actor: Actor;
		client?: string | null;
		locale: Locale;
		now?: Date;
	}
): Promise<EntryResult> {
	const now = input.now ?? new Date();
	const def = version.definition;
	const questions = allQuestions(def);
	const serial = normaliseSerial(input.sheet.serial);
	const date = input.sheet.date.trim();
	const { answers, problems } = answersFromSheet(questions, input.sheet.values);
	const sheetProblems = [checkSerial(serial), checkDate(date, localDate(now))].filter(
		(p): p is Problem => p !== null
	);
	const id = paperResponseId(def.id, input.unitCode, serial);
	const prepared = responses.prepare(version, {
		id,
		touchpointId: null,
		unitCode: input.unitCode,
		rootUnit: input.rootUnit,
		channel: 'paper',
		// The sheet is the same whoever keys it in: the clerk's language must not change its content.
		locale: 'vi',
		reportedAt: null,
		receivedAt: now,
		answers,
		where: `paper:${input.unitCode}:${serial}:${date}`,
		paperDate: {
			effectiveAt: startOfLocalDate(isIsoDate(date) ? date : localDate(now)),
			localDate: date
		}
	});
	const all = [
		...sheetProblems,
		...problems,
		...(prepared.ok ? [] : prepared.errors.map(fromAnswerError))
	];
	if (all.length || !prepared.ok) {
		return { status: 'invalid', errors: messagesFor(all, questions, input.locale) };
	}
	const row = prepared.row;
	return db.transaction(async (tx) => {
		if ((await responses.insertMany(tx, [row])) === 1) {
			await markEntered(tx, row, serial, input.actor.id);
			await audit(tx, {
				actor: input.actor,
				action: 'response_entered',
				target: id,
				detail: { survey: def.id, unit: input.unitCode, serial },
				client: input.client ?? null
			});
			return { status: 'stored', id, serial };
		}
		const stored = await responses.existingHashes(tx, [id]);
		return { status: stored.get(id) === row.contentHash ? 'duplicate' : 'conflict', id, serial };
	});
}

function fromAnswerError(e: { question: string; code: string; params?: Record<string, number> }) {
	return { field: e.question, code: e.code, params: e.params } satisfies Problem;
}

async function markEntered(
	db: Queryable,
	row: Pick<responses.ResponseRow, 'id' | 'localDate'>,
	serial: string,
	userId: string
) {
	// The date names the one monthly partition to look in.
	await db.query(sql`
		update responses set serial = ${serial}, entered_by = ${userId}
		where id = ${row.id}::uuid and local_date = ${row.localDate}::date`);
}

/** Whether a questionnaire with this id is stored: the saved notice only tells what is true. */
export async function isStored(db: Queryable, id: string): Promise<boolean> {
	const [row] = await db.query<{ ok: boolean }>(
		sql`select exists (select 1 from response_ids where id = ${id}::uuid) as ok`
	);
	return row?.ok ?? false;
}

/** Messages for the clerk, one per field (the first problem wins), in the order of the form. */
function messagesFor(problems: Problem[], questions: Question[], locale: Locale): FieldError[] {
	const t = translator(locale);
	const byField = new Map<string, string>();
	const allowsNA = new Map(questions.map((q) => [q.id, q.allowNA]));
	for (const p of problems) {
		if (byField.has(p.field)) continue;
		const code = p.code === 'scale' && allowsNA.get(p.field) ? 'scaleNA' : p.code;
		const key = clerkWording.has(code) ? `entry.errors.${code}` : `errors.${code}`;
		byField.set(p.field, t(key, p.params));
	}
	const order = [SERIAL, DATE, ...questions.map((q) => q.id)];
	return [...byField]
		.map(([field, message]) => ({ field, message }))
		.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}
