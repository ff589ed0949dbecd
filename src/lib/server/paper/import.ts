import type { Readable } from 'node:stream';
import type { Locale } from '$lib/i18n';
import { type Database, type Queryable, tidyResponses } from '../db';
import { newScan, scanCsv, type ImportError, type RowOptions } from './csv-rows';
import * as responses from '../responses';
import type { SurveyRegistry } from '../surveys';

export type { ImportError };

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

export interface ImportOptions extends RowOptions {
	locale?: Locale;
	/** Runs inside the import's transaction once the rows are in, e.g. to audit the import. */
	onStored?: (tx: Queryable, result: { rows: number; stored: number }) => Promise<void>;
}

/** Rows per insert while importing: one such batch is in the database while the next is read. */
const STORE_BATCH = 5000;

/**
 * Imports paper questionnaires from CSV (ARCHITECTURE §6) atomically: every row is checked first
 * and any error rejects the whole file, with every error listed by row and column. Rows whose id
 * is already stored with the same content are skipped, so a re-import adds nothing.
 *
 * Checking and storing overlap: on PostgreSQL, each batch of checked rows is inserted (inside the
 * import's one transaction) while the next batch is checked, so parsing and validation in this
 * process run beside the database's work. The first error stops the storing and rolls everything
 * back once the rest of the file has been checked for its errors too.
 */
export async function importCsv(
	db: Database,
	surveys: SurveyRegistry,
	input: Readable,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const { onProgress, onStored } = options;
	const scan = newScan(options.locale ?? 'vi');
	// PGlite runs in this very thread: there is nothing to overlap, and one query at a time is safest.
	const overlap = db.kind === 'postgres';
	let outcome: { rows: number; stored: number } | { rejected: number };
	try {
		outcome = await db.transaction(async (tx) => {
			let batch: responses.ResponseRow[] = [];
			let total = 0;
			let added = 0;
			let handed = 0;
			let inFlight: Promise<void> = Promise.resolve();
			// Ids stored before with other content, by row: errors only if the file has no others.
			const conflicts: number[] = [];
			const store = async (rows: responses.ResponseRow[]) => {
				const existing = await responses.existingHashes(
					tx,
					rows.map((r) => r.id)
				);
				for (const r of rows) {
					const hash = existing.get(r.id);
					if (hash !== undefined && hash !== r.contentHash)
						conflicts.push(scan.seenIds.get(r.id) ?? 0);
				}
				// Ids already stored with this content are skipped by the insert itself.
				added += await responses.insertMany(tx, rows);
				handed += rows.length;
				onProgress?.(`stored ${handed} rows`);
			};
			const flush = async () => {
				const rows = batch;
				batch = [];
				// One batch in the database at a time: memory stays bounded, order stays the file's.
				await inFlight;
				inFlight = store(rows);
				// Its failure is awaited below or at the next flush, not lost meanwhile.
				inFlight.catch(() => {});
				if (!overlap) await inFlight;
			};
			const rows = await scanCsv(tx, surveys, input, options, scan, async (row) => {
				// A file with an error stores nothing: stop storing, keep checking for the list.
				if (scan.errors.length) return;
				batch.push(row);
				total += 1;
				if (batch.length === STORE_BATCH) await flush();
			});
			if (!scan.errors.length && batch.length) await flush();
			await inFlight;
			if (!scan.errors.length) {
				for (const row of conflicts) scan.report(row, 'id', scan.t('errors.conflict'));
			}
			if (scan.errors.length) throw new Rejected(rows);
			onProgress?.(`stored ${total} of ${total} rows`);
			await onStored?.(tx, { rows: total, stored: added });
			return { rows: total, stored: added };
		});
	} catch (error) {
		if (!(error instanceof Rejected)) throw error;
		outcome = { rejected: error.rows };
	}
	if ('rejected' in outcome) return { ok: false, rows: outcome.rejected, errors: scan.errors };
	const { rows, stored } = outcome;
	if (stored > 0) await tidyResponses(db);
	return { ok: true, rows, stored, skipped: rows - stored };
}

/** Thrown inside the import's transaction to roll it back when the file has errors. */
class Rejected extends Error {
	constructor(readonly rows: number) {
		super('the file has errors');
	}
}

/**
 * Checks a whole file as the import would, storing nothing: the preview before an import. Every
 * error is listed (up to a thousand), by row and column.
 */
export async function checkCsv(
	db: Queryable,
	surveys: SurveyRegistry,
	input: Readable,
	options: ImportOptions = {}
): Promise<CsvCheck> {
	const scan = newScan(options.locale ?? 'vi');
	const { errors, report, t, seenIds } = scan;
	const rows: responses.ResponseRow[] = [];
	const read = await scanCsv(db, surveys, input, options, scan, (row) => void rows.push(row));

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
	return { rows: read, errors, groups: [...groups.values()], alreadyStored, prepared: rows };
}
