// Reading a CSV file of paper questionnaires row by row: the header, each row's cells turned into
// a checked response, and every error found on the way, by row and column. The import and its
// preview (checkCsv) both read files through this.
import { CsvError, parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { NA } from '$lib/survey/answers';
import { allQuestions, channels, isNumeric, type Question } from '$lib/survey/definition';
import { isIsoDate, isStorableInstant, localDate, startOfLocalDate } from '$lib/survey/periods';
import { translator, type Locale } from '$lib/i18n';
import { isUnitCode } from '../auth';
import { stableUuid } from './stable-id';
import type { Queryable } from '../db';
import * as responses from '../responses';
import type { SurveyRegistry, SurveyVersion } from '../surveys';
import * as units from '../units';

export interface ImportError {
	/** Line of the file, the header being row 1. */
	row: number;
	column: string;
	message: string;
}

/** What decides how a file's rows are read and which of them are valid. */
export interface RowOptions {
	onProgress?: (message: string) => void;
	/** The units a row may name (a clerk's subtree); null or absent means every unit. */
	allowedUnits?: Set<string> | null;
	/**
	 * Rows without an `id` get one derived from this and their row number, so the same upload
	 * confirmed twice stores its rows once; without it they get random ids.
	 */
	idSeed?: string;
	/** Only paper questionnaires: channel `paper` (or empty), surveys that take paper. */
	paperOnly?: boolean;
}

const FIXED = new Set(['survey', 'unit', 'answered_at', 'id', 'channel', 'locale']);
const MAX_ERRORS = 1000;
const offsetDateTime = z.iso.datetime({ offset: true });
const uuidSchema = z.uuid();

/** Turns one CSV cell into an answer of the JSON type its question takes. */
function cellAnswer(q: Question, cell: string): unknown {
	if (cell === NA) return NA;
	if (q.type === 'choice' && q.multiple) return cell.split('|').map((v) => v.trim());
	if (isNumeric(q)) {
		return /^-?\d+$/.test(cell) ? Number(cell) : cell;
	}
	return cell;
}

/** What a pass over a file collects besides its rows: the errors, and where each id was. */
export interface Scan {
	t: ReturnType<typeof translator>;
	errors: ImportError[];
	report: (row: number, column: string, message: string) => void;
	/** Each id read, with its row (the last one, for an id repeated). */
	seenIds: Map<string, number>;
}

export function newScan(locale: Locale): Scan {
	const errors: ImportError[] = [];
	return {
		t: translator(locale),
		errors,
		report: (row, column, message) => {
			if (errors.length < MAX_ERRORS) errors.push({ row, column, message });
		},
		seenIds: new Map()
	};
}

/** A column of answers: where it is in a record, and its question in the row's survey, if any. */
interface AnswerColumn {
	column: string;
	index: number;
	question: Question | undefined;
}

/** How a row's answered_at reads: a paper date, or an instant the respondent reported. */
type AnsweredAt = { localDate: string; effectiveMs: number; reportedMs: number | null } | null;

/**
 * Reads a file row by row, checks each row and hands every valid one to `onRow` as it is read.
 * Errors go to `scan`; returns how many data rows the file has (the header aside).
 */
export async function scanCsv(
	db: Queryable,
	surveys: SurveyRegistry,
	input: Readable,
	{ onProgress, allowedUnits = null, idSeed, paperOnly = false }: RowOptions,
	{ t, report, seenIds }: Scan,
	onRow: (row: responses.ResponseRow, at: number) => Promise<void> | void
): Promise<number> {
	const rootCache = new Map<string, string | undefined>();
	// Per survey version, per distinct date: a national file repeats both on every row.
	const columnsOf = new Map<SurveyVersion, AnswerColumn[]>();
	const dateCache = new Map<string, AnsweredAt>();
	const knownColumns = new Set(
		surveys.list().flatMap((v) => allQuestions(v.definition).map((q) => q.id))
	);
	const receivedAt = new Date();
	const today = localDate(receivedAt);
	let line = 1;
	let header: string[] = [];
	let haveHeader = false;
	let malformed = false;

	// Records as arrays: csv-parse's objects of ~100 named columns cost more than the whole check
	// of a row. A record reads as that object would: a repeated column name is its last cell, and
	// the columns are visited in order of first appearance.
	let indexOf = new Map<string, number>();
	const parser = input.pipe(
		parse({ bom: true, columns: false, relax_column_count: false, skip_empty_lines: true })
	);
	try {
		for await (const record of parser as AsyncIterable<string[]>) {
			if (!haveHeader) {
				haveHeader = true;
				header = record.map((c) => c.trim());
				indexOf = new Map(header.map((name, i) => [name, i]));
				continue;
			}
			line += 1;
			if (line === 2) checkHeader(header, knownColumns, report, t);
			if (line % 10_000 === 0) onProgress?.(`checked ${line - 1} rows`);
			const row = await checkRow(record, line);
			if (row) await onRow(row, line);
		}
	} catch (error) {
		// csv-parse's own errors describe the file (not all their codes start with CSV_, e.g.
		// INVALID_OPENING_QUOTE); anything else is ours and must surface.
		if (!(error instanceof CsvError)) throw error;
		malformed = true;
		// Worded as csv-parse words it when it reads the header as column names.
		const detail = error.message.replace(
			/^Invalid Record Length: expect (\d+),/,
			'Invalid Record Length: columns length is $1,'
		);
		report(line + 1, '', t('import.malformed', { detail }));
	}
	if (line === 1 && !malformed) report(1, '', t('import.empty'));
	return line - 1;

	/** A date or an instant with its offset; null when neither, or outside what can be stored. */
	function readAnsweredAt(answeredAt: string): AnsweredAt {
		if (isIsoDate(answeredAt)) {
			const start = startOfLocalDate(answeredAt);
			if (!isStorableInstant(start)) return null;
			return { localDate: answeredAt, effectiveMs: start.getTime(), reportedMs: null };
		}
		if (offsetDateTime.safeParse(answeredAt).success) {
			const reported = new Date(answeredAt);
			if (!isStorableInstant(reported)) return null;
			return {
				localDate: localDate(reported),
				effectiveMs: reported.getTime(),
				reportedMs: reported.getTime()
			};
		}
		return null;
	}

	/**
	 * The header's answer columns as a row of this version reads them: its questions, and the
	 * columns of other surveys' questions (an error when filled). Other columns were reported once,
	 * on the header row, and are not read again.
	 */
	function answerColumns(version: SurveyVersion): AnswerColumn[] {
		let columns = columnsOf.get(version);
		if (!columns) {
			const questions = new Map(allQuestions(version.definition).map((q) => [q.id, q]));
			columns = [...indexOf]
				.filter(([column]) => !FIXED.has(column) && knownColumns.has(column))
				.map(([column, index]) => ({ column, index, question: questions.get(column) }));
			columnsOf.set(version, columns);
		}
		return columns;
	}

	async function checkRow(record: string[], at: number) {
		const cell = (name: string) => {
			const i = indexOf.get(name);
			return i === undefined ? '' : record[i]!.trim();
		};
		const version = surveys.current(cell('survey'));
		if (!version) return void report(at, 'survey', t('errors.survey_unknown'));
		const unitCode = cell('unit');
		if (!rootCache.has(unitCode))
			rootCache.set(unitCode, isUnitCode(unitCode) ? await units.rootOf(db, unitCode) : undefined);
		const rootUnit = rootCache.get(unitCode);
		if (!rootUnit) report(at, 'unit', t('errors.unit_unknown'));
		else if (allowedUnits && !allowedUnits.has(unitCode))
			report(at, 'unit', t('entry.import.outOfScope'));

		const answeredAt = cell('answered_at');
		let read = dateCache.get(answeredAt);
		if (read === undefined) {
			read = readAnsweredAt(answeredAt);
			// Bounded: a file of distinct instants must not grow this without end.
			if (dateCache.size < 100_000) dateCache.set(answeredAt, read);
		}
		const paperDate = read
			? { effectiveAt: new Date(read.effectiveMs), localDate: read.localDate }
			: undefined;
		const reportedAt = read?.reportedMs != null ? new Date(read.reportedMs) : null;
		if (!paperDate) report(at, 'answered_at', t('import.answeredAt'));
		else if (paperDate.localDate > today) report(at, 'answered_at', t('import.future'));

		const id = (
			cell('id') || (idSeed ? stableUuid('import', idSeed, String(at)) : crypto.randomUUID())
		).toLowerCase();
		if (!uuidSchema.safeParse(id).success) report(at, 'id', t('errors.id_invalid'));
		else if (seenIds.has(id)) report(at, 'id', t('import.duplicateId', { row: seenIds.get(id) }));
		seenIds.set(id, at);
		const channel = cell('channel') || 'paper';
		if (!(channels as readonly string[]).includes(channel))
			report(at, 'channel', t('errors.field_invalid'));
		else if (paperOnly && (channel !== 'paper' || !version.definition.channels.includes('paper')))
			report(at, 'channel', t('import.paperOnly'));
		const rowLocale = cell('locale') || 'vi';
		if (rowLocale !== 'vi' && rowLocale !== 'en') report(at, 'locale', t('errors.field_invalid'));

		const answers: Record<string, unknown> = {};
		for (const { column, index, question } of answerColumns(version)) {
			const value = record[index]!.trim();
			if (value === '') continue;
			if (question) answers[column] = cellAnswer(question, value);
			else report(at, column, t('errors.unknown_question'));
		}
		const prepared = responses.prepare(version, {
			id,
			touchpointId: null,
			unitCode,
			rootUnit: rootUnit ?? unitCode,
			channel: channel as responses.ResponseRow['channel'],
			locale: rowLocale as Locale,
			reportedAt,
			receivedAt,
			answers,
			where: `${channel}:${unitCode}:${answeredAt}`,
			paperDate: paperDate ?? { effectiveAt: receivedAt, localDate: today }
		});
		if (!prepared.ok) {
			for (const e of prepared.errors) report(at, e.question, t(`errors.${e.code}`, e.params));
			return undefined;
		}
		return prepared.row;
	}
}

function checkHeader(
	header: string[],
	known: Set<string>,
	report: (row: number, column: string, message: string) => void,
	t: (key: string) => string
) {
	for (const required of ['survey', 'unit', 'answered_at']) {
		if (!header.includes(required)) report(1, required, t('import.missingColumn'));
	}
	const seen = new Set<string>();
	for (const column of header) {
		if (seen.has(column)) report(1, column, t('import.duplicateColumn'));
		seen.add(column);
	}
	for (const column of header) {
		if (!FIXED.has(column) && !known.has(column)) report(1, column, t('import.unknownColumn'));
	}
}
