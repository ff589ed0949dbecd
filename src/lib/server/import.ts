import { CsvError, parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { NA } from '$lib/survey/answers';
import { allQuestions, channels, type Question } from '$lib/survey/definition';
import { isIsoDate, localDate, startOfLocalDate } from '$lib/survey/periods';
import { translator, type Locale } from '$lib/i18n';
import { isUnitCode } from './auth/scope';
import { stableUuid } from './stable-id';
import type { Database, Queryable } from './db';
import { tidyResponses } from './maintenance';
import * as responses from './responses';
import type { SurveyRegistry } from './surveys';
import * as units from './units';

export interface ImportError {
	/** Line of the file, the header being row 1. */
	row: number;
	column: string;
	message: string;
}

export type ImportResult =
	| { ok: true; rows: number; stored: number; skipped: number }
	| { ok: false; rows: number; errors: ImportError[] };

/** What a file would import, found without storing anything. */
export interface CsvCheck {
	/** Data rows read (the header aside). */
	rows: number;
	errors: ImportError[];
	/** Valid rows counted by survey and unit, in order of first appearance. */
	groups: { survey: string; unit: string; rows: number }[];
	/** Valid rows whose id is already stored with the same content: importing skips them. */
	alreadyStored: number;
	/** The valid rows, ready to insert. */
	prepared: responses.ResponseRow[];
}

export interface ImportOptions {
	locale?: Locale;
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
	/** Runs inside the import's transaction once the rows are in, e.g. to audit the import. */
	onStored?: (tx: Queryable, result: { rows: number; stored: number }) => Promise<void>;
}

const FIXED = new Set(['survey', 'unit', 'answered_at', 'id', 'channel', 'locale']);
const MAX_ERRORS = 1000;
const offsetDateTime = z.iso.datetime({ offset: true });

/** Turns one CSV cell into an answer of the JSON type its question takes. */
function cellAnswer(q: Question, cell: string): unknown {
	if (cell === NA) return NA;
	if (q.type === 'choice' && q.multiple) return cell.split('|').map((v) => v.trim());
	if (q.type === 'likert5' || q.type === 'rating3' || q.type === 'percent') {
		return /^-?\d+$/.test(cell) ? Number(cell) : cell;
	}
	return cell;
}

/**
 * Imports paper questionnaires from CSV (ARCHITECTURE §6) atomically: every row is checked first
 * and any error rejects the whole file, with every error listed by row and column. Rows whose id
 * is already stored with the same content are skipped, so a re-import adds nothing.
 */
export async function importCsv(
	db: Database,
	surveys: SurveyRegistry,
	input: Readable,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const check = await checkCsv(db, surveys, input, options);
	if (check.errors.length) return { ok: false, rows: check.rows, errors: check.errors };
	const rows = check.prepared;
	const { onProgress, onStored } = options;
	// Ids already stored with this content are skipped by the insert itself.
	const stored = await db.transaction(async (tx) => {
		let added = 0;
		for (let i = 0; i < rows.length; i += 5000) {
			added += await responses.insertMany(tx, rows.slice(i, i + 5000));
			onProgress?.(`stored ${Math.min(i + 5000, rows.length)} of ${rows.length} rows`);
		}
		await onStored?.(tx, { rows: rows.length, stored: added });
		return added;
	});
	if (stored > 0) await tidyResponses(db);
	return { ok: true, rows: rows.length, stored, skipped: rows.length - stored };
}

/**
 * Checks a whole file as the import would, storing nothing: the preview before an import. Every
 * error is listed (up to a thousand), by row and column.
 */
export async function checkCsv(
	db: Queryable,
	surveys: SurveyRegistry,
	input: Readable,
	{ locale = 'vi', onProgress, allowedUnits = null, idSeed, paperOnly = false }: ImportOptions = {}
): Promise<CsvCheck> {
	const t = translator(locale);
	const errors: ImportError[] = [];
	const report = (row: number, column: string, message: string) => {
		if (errors.length < MAX_ERRORS) errors.push({ row, column, message });
	};
	const rows: responses.ResponseRow[] = [];
	const seenIds = new Map<string, number>();
	const rootCache = new Map<string, string | undefined>();
	const knownColumns = new Set(
		surveys.list().flatMap((v) => allQuestions(v.definition).map((q) => q.id))
	);
	const receivedAt = new Date();
	const today = localDate(receivedAt);
	let line = 1;
	let header: string[] = [];
	let malformed = false;

	const parser = input.pipe(
		parse({
			bom: true,
			columns: (h: string[]) => (header = h.map((c) => c.trim())),
			relax_column_count: false,
			skip_empty_lines: true
		})
	);
	try {
		for await (const record of parser as AsyncIterable<Record<string, string>>) {
			line += 1;
			if (line === 2) checkHeader(header, knownColumns, report, t);
			if (line % 10_000 === 0) onProgress?.(`checked ${line - 1} rows`);
			const row = await checkRow(record, line);
			if (row) rows.push(row);
		}
	} catch (error) {
		// csv-parse's own errors describe the file (not all their codes start with CSV_, e.g.
		// INVALID_OPENING_QUOTE); anything else is ours and must surface.
		if (!(error instanceof CsvError)) throw error;
		malformed = true;
		report(line + 1, '', t('import.malformed', { detail: error.message }));
	}
	if (line === 1 && !malformed) report(1, '', t('import.empty'));

	async function checkRow(record: Record<string, string>, at: number) {
		const cell = (name: string) => (record[name] ?? '').trim();
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
		let paperDate: { effectiveAt: Date; localDate: string } | undefined;
		let reportedAt: Date | null = null;
		if (isIsoDate(answeredAt))
			paperDate = { effectiveAt: startOfLocalDate(answeredAt), localDate: answeredAt };
		else if (offsetDateTime.safeParse(answeredAt).success) {
			reportedAt = new Date(answeredAt);
			paperDate = { effectiveAt: reportedAt, localDate: localDate(reportedAt) };
		}
		if (!paperDate) report(at, 'answered_at', t('import.answeredAt'));
		else if (paperDate.localDate > today) report(at, 'answered_at', t('import.future'));

		const id = (
			cell('id') || (idSeed ? stableUuid('import', idSeed, String(at)) : crypto.randomUUID())
		).toLowerCase();
		if (!z.uuid().safeParse(id).success) report(at, 'id', t('errors.id_invalid'));
		else if (seenIds.has(id)) report(at, 'id', t('import.duplicateId', { row: seenIds.get(id) }));
		seenIds.set(id, at);
		const channel = cell('channel') || 'paper';
		if (!(channels as readonly string[]).includes(channel))
			report(at, 'channel', t('errors.field_invalid'));
		else if (paperOnly && (channel !== 'paper' || !version.definition.channels.includes('paper')))
			report(at, 'channel', t('import.paperOnly'));
		const rowLocale = cell('locale') || 'vi';
		if (rowLocale !== 'vi' && rowLocale !== 'en') report(at, 'locale', t('errors.field_invalid'));

		const questions = new Map(allQuestions(version.definition).map((q) => [q.id, q]));
		const answers: Record<string, unknown> = {};
		for (const [column, raw] of Object.entries(record)) {
			if (FIXED.has(column) || raw.trim() === '') continue;
			const q = questions.get(column);
			// A column no survey knows was reported once, on the header row.
			if (q) answers[column] = cellAnswer(q, raw.trim());
			else if (knownColumns.has(column)) report(at, column, t('errors.unknown_question'));
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

	let alreadyStored = 0;
	if (!errors.length) {
		const existing = await responses.existingHashes(
			db,
			rows.map((r) => r.id)
		);
		for (const r of rows) {
			const hash = existing.get(r.id);
			if (hash === r.contentHash) alreadyStored += 1;
			else if (hash !== undefined) report(seenIds.get(r.id) ?? 0, 'id', t('errors.conflict'));
		}
	}
	const groups = new Map<string, CsvCheck['groups'][number]>();
	for (const r of rows) {
		const key = `${r.surveyId}\u0000${r.unitCode}`;
		const group = groups.get(key) ?? { survey: r.surveyId, unit: r.unitCode, rows: 0 };
		group.rows += 1;
		groups.set(key, group);
	}
	return { rows: line - 1, errors, groups: [...groups.values()], alreadyStored, prepared: rows };
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
