import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { RespondentLocale } from '$lib/i18n';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { Texts } from '$lib/survey/in-language';
import { disguisingInText } from '$lib/survey/text';
import { audit, type Actor } from '../audit';
import { type Database, type Queryable, json, sql } from '../db';
import { neutralise, restore } from '../exports';
import { log } from '../log';

// Khmer texts of a survey version: those in its definition file, overlaid by what an
// administrator imported from a translator's CSV; shown to citizens only once every text has one
// and an administrator has marked them reviewed by a native speaker. A new import clears the mark.

/** One text of a definition, by a stable id: what a translator sees in a row of the CSV. */
export interface TextEntry {
	id: string;
	vi: string;
	en: string;
	km: string | null;
}

/** Every text of a definition with its id, in reading order. */
function eachText(def: SurveyDefinition, visit: (id: string, text: Texts) => void) {
	visit('title', def.title);
	visit('intro', def.intro);
	for (const s of def.sections) {
		visit(`section.${s.id}.title`, s.title);
		if (s.description) visit(`section.${s.id}.description`, s.description);
		for (const q of s.questions) {
			visit(`question.${q.id}.text`, q.text);
			if (q.help) visit(`question.${q.id}.help`, q.help);
			if (q.type === 'choice')
				for (const o of q.options) visit(`question.${q.id}.option.${o.value}`, o.label);
		}
	}
	for (const i of def.indicators) visit(`indicator.${i.id}.label`, i.label);
	if (def.contact) visit('contact.purpose', def.contact.purpose);
}

export function textEntries(def: SurveyDefinition, imported: Record<string, string> = {}) {
	const entries: TextEntry[] = [];
	eachText(def, (id, t) =>
		entries.push({ id, vi: t.vi, en: t.en, km: imported[id] ?? t.km ?? null })
	);
	return entries;
}

/** The definition with its Khmer texts as imported (a copy; the registry's stays as filed). */
export function withKhmer(def: SurveyDefinition, imported: Record<string, string>) {
	const copy = structuredClone(def);
	eachText(copy, (id, t) => {
		if (imported[id]) t.km = imported[id];
	});
	return copy;
}

interface Stored {
	texts: Record<string, string>;
	reviewedBy: string | null;
	reviewedAt: string | null;
}

async function stored(db: Queryable, def: SurveyDefinition): Promise<Stored> {
	const [row] = await db.query<{
		texts: Record<string, string> | string | null;
		reviewedBy: string | null;
		reviewedAt: string | null;
	}>(sql`
		select t.texts, u.email as "reviewedBy",
			to_char(r.reviewed_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI') as "reviewedAt"
		from (select 1) one
		left join survey_translations t
			on t.survey_id = ${def.id} and t.version = ${def.version} and t.locale = 'km'
		left join survey_translation_reviews r
			on r.survey_id = ${def.id} and r.version = ${def.version} and r.locale = 'km'
		left join users u on u.id = r.reviewed_by`);
	const texts = typeof row?.texts === 'string' ? JSON.parse(row.texts) : (row?.texts ?? {});
	return { texts, reviewedBy: row?.reviewedBy ?? null, reviewedAt: row?.reviewedAt ?? null };
}

/** Where a version's Khmer stands, for the administrators' page. */
export interface KhmerState {
	total: number;
	translated: number;
	reviewed: { by: string | null; at: string } | null;
	/** Complete and reviewed: citizens are offered Khmer. */
	offered: boolean;
}

function stateOf(def: SurveyDefinition, s: Stored): KhmerState {
	const entries = textEntries(def, s.texts);
	const translated = entries.filter((e) => e.km).length;
	const reviewed = s.reviewedAt ? { by: s.reviewedBy, at: s.reviewedAt } : null;
	return {
		total: entries.length,
		translated,
		reviewed,
		offered: translated === entries.length && reviewed !== null
	};
}

export async function khmerState(db: Queryable, def: SurveyDefinition): Promise<KhmerState> {
	return stateOf(def, await stored(db, def));
}

/**
 * The languages citizens may answer this version in, and the definition to show them: with its
 * Khmer texts when Khmer is offered.
 */
export async function forRespondents(
	db: Queryable,
	def: SurveyDefinition
): Promise<{ languages: RespondentLocale[]; definition: SurveyDefinition }> {
	let s: Stored;
	try {
		s = await stored(db, def);
	} catch (error) {
		// A database that fails for a moment must not take the survey form down with it: the
		// definition is in memory, and only the reviewed Khmer needs the database.
		log.warn('translations unreadable; offering Vietnamese and English', {
			survey: def.id,
			error: (error as Error).message
		});
		return { languages: ['vi', 'en'], definition: def };
	}
	return stateOf(def, s).offered
		? { languages: ['vi', 'en', 'km'], definition: withKhmer(def, s.texts) }
		: { languages: ['vi', 'en'], definition: def };
}

// The translators' CSV.

export const MAX_TEXTS_BYTES = 400 * 1024;
const header = ['id', 'vi', 'en', 'km'];

/** The version's texts as CSV (UTF-8 with BOM for Excel), formula-looking cells neutralised. */
export async function exportTexts(db: Queryable, def: SurveyDefinition): Promise<string> {
	const { texts } = await stored(db, def);
	const rows = textEntries(def, texts).map((e) => [e.id, e.vi, e.en, e.km ?? ''].map(neutralise));
	return stringify(rows, { header: true, columns: header, bom: true, record_delimiter: 'windows' });
}

export interface TextProblem {
	/** Spreadsheet row: the header is row 1. */
	row: number;
	id: string | null;
	/** Message key under `surveyTexts.errors`. */
	key: string;
}

/** Khmer script, so that a pasted Vietnamese or English cell is caught before citizens see it. */
const khmerLetter = /[\u1780-\u17FF\u19E0-\u19FF]/;
const MAX_TEXT = 2000;

/**
 * Checks a translator's file against the version: every id known and once, the Vietnamese and
 * English unchanged (the file belongs to this version), Khmer in Khmer script. Returns the
 * Khmer texts by id, or every problem with its row.
 */
export function readTexts(
	def: SurveyDefinition,
	content: string
): { texts: Record<string, string> } | { problems: TextProblem[] } {
	let records: string[][];
	try {
		records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true });
	} catch (e) {
		const lines = (e as { lines?: number }).lines;
		return {
			problems: [{ row: typeof lines === 'number' ? lines : 1, id: null, key: 'malformed' }]
		};
	}
	const [head, ...rows] = records;
	if (!head || head.map((h) => h.trim()).join(',') !== header.join(','))
		return { problems: [{ row: 1, id: null, key: 'header' }] };
	const known = new Map(textEntries(def).map((e) => [e.id, e]));
	const problems: TextProblem[] = [];
	const texts: Record<string, string> = {};
	rows.forEach((cells, i) => {
		const row = i + 2;
		const [id = '', vi = '', en = '', km = ''] = cells.map((c) => restore(c.trim()));
		const entry = known.get(id);
		if (cells.length !== header.length)
			return problems.push({ row, id: id || null, key: 'columns' });
		if (!entry) return problems.push({ row, id: id || null, key: 'unknown_id' });
		if (id in texts) return problems.push({ row, id, key: 'duplicate_id' });
		if (vi !== entry.vi || en !== entry.en) problems.push({ row, id, key: 'source_changed' });
		if (km === '') return;
		if (km.length > MAX_TEXT) problems.push({ row, id, key: 'too_long' });
		else if (!khmerLetter.test(km)) problems.push({ row, id, key: 'not_khmer' });
		else if (disguisingInText.test(km)) problems.push({ row, id, key: 'control' });
		texts[id] = km;
	});
	return problems.length ? { problems } : { texts };
}

interface By {
	actor: Actor;
	client: string | null;
}

/** Stores an imported file's Khmer texts for the version; it must be reviewed again. */
export async function importTexts(
	db: Database,
	by: By,
	def: SurveyDefinition,
	content: string
): Promise<{ ok: true; count: number } | { ok: false; problems: TextProblem[] }> {
	const read = readTexts(def, content);
	if ('problems' in read) return { ok: false, problems: read.problems };
	await db.transaction(async (tx) => {
		await tx.query(sql`
			insert into survey_translations (survey_id, version, locale, texts, imported_by)
			values (${def.id}, ${def.version}, 'km', ${json(read.texts)}, ${by.actor.id})
			on conflict (survey_id, version, locale)
			do update set texts = excluded.texts, imported_by = excluded.imported_by, imported_at = now()`);
		await tx.query(sql`
			delete from survey_translation_reviews
			where survey_id = ${def.id} and version = ${def.version} and locale = 'km'`);
		await audit(tx, {
			actor: by.actor,
			action: 'survey_texts_imported',
			target: `${def.id}@${def.version}`,
			detail: { locale: 'km', texts: Object.keys(read.texts).length },
			client: by.client
		});
	});
	return { ok: true, count: Object.keys(read.texts).length };
}

/** An administrator vouches that a native speaker checked the Khmer texts, or withdraws that. */
export async function setReviewed(db: Database, by: By, def: SurveyDefinition, reviewed: boolean) {
	await db.transaction(async (tx) => {
		if (reviewed)
			await tx.query(sql`
				insert into survey_translation_reviews (survey_id, version, locale, reviewed_by)
				values (${def.id}, ${def.version}, 'km', ${by.actor.id})
				on conflict (survey_id, version, locale)
				do update set reviewed_by = excluded.reviewed_by, reviewed_at = now()`);
		else
			await tx.query(sql`
				delete from survey_translation_reviews
				where survey_id = ${def.id} and version = ${def.version} and locale = 'km'`);
		await audit(tx, {
			actor: by.actor,
			action: reviewed ? 'survey_texts_reviewed' : 'survey_texts_unreviewed',
			target: `${def.id}@${def.version}`,
			detail: { locale: 'km' },
			client: by.client
		});
	});
}
