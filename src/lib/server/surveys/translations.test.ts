import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import type { SurveyDefinition } from '$lib/survey/definition';
import { translations } from '.';

let app: App;
let def: SurveyDefinition;
let by: { actor: { id: string; email: string }; client: string };

beforeAll(async () => {
	app = await startTestApp();
	def = app.surveys.current('one-stop-case')!.definition;
	const admin = await staffUser(app, 'admin');
	by = { actor: { id: admin.id, email: admin.email }, client: '203.0.113.9' };
});
afterAll(() => app.db.close());

const csv = (rows: string[][]) => rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n');

describe('Khmer texts of a survey', () => {
	it('lists every text of the one-stop survey with a stable id, each with its Khmer draft', () => {
		const entries = translations.textEntries(def);
		// Title, intro, one section, five questions, one help, three options, three indicators,
		// the contact purpose.
		expect(entries).toHaveLength(16);
		expect(entries.slice(0, 4).map((e) => e.id)).toEqual([
			'title',
			'intro',
			'section.case.title',
			'question.case_overall.text'
		]);
		expect(entries.map((e) => e.id)).toContain('question.contacts.option.3_or_more');
		expect(entries.every((e) => e.km && /[\u1780-\u17FF]/.test(e.km))).toBe(true);
	});

	it('is not offered to citizens until an administrator marks it reviewed, nor after a new import', async () => {
		expect(await translations.khmerState(app.db, def)).toEqual({
			total: 16,
			translated: 16,
			reviewed: null,
			offered: false
		});
		expect((await translations.forRespondents(app.db, def)).languages).toEqual(['vi', 'en']);

		await translations.setReviewed(app.db, by, def, true);
		const state = await translations.khmerState(app.db, def);
		expect(state.offered).toBe(true);
		expect(state.reviewed?.by).toBe(by.actor.email);
		const shown = await translations.forRespondents(app.db, def);
		expect(shown.languages).toEqual(['vi', 'en', 'km']);
		expect(shown.definition.title.km).toBe(def.title.km);

		// A translator's file changes one text: stored over the file's, and to be checked again.
		const file = parse(await translations.exportTexts(app.db, def), { bom: true }) as string[][];
		expect(file[0]).toEqual(['id', 'vi', 'en', 'km']);
		const row = file.findIndex((r) => r[0] === 'question.comment.text');
		file[row]![3] = 'តើលោកអ្នកមានយោបល់អ្វីបន្ថែមទៀតទេ?';
		expect(await translations.importTexts(app.db, by, def, csv(file))).toEqual({
			ok: true,
			count: 16
		});
		expect((await translations.khmerState(app.db, def)).offered).toBe(false);
		await translations.setReviewed(app.db, by, def, true);
		const now = await translations.forRespondents(app.db, def);
		const comment = now.definition.sections[0]!.questions.find((q) => q.id === 'comment')!;
		expect(comment.text.km).toBe('តើលោកអ្នកមានយោបល់អ្វីបន្ថែមទៀតទេ?');
		// The registry's definition is untouched.
		expect(def.sections[0]!.questions.find((q) => q.id === 'comment')!.text.km).not.toBe(
			comment.text.km
		);
		await translations.setReviewed(app.db, by, def, false);
		expect((await translations.forRespondents(app.db, def)).languages).toEqual(['vi', 'en']);
	});

	it('refuses a file with every problem on its row, and stores nothing', async () => {
		const entries = translations.textEntries(def);
		const [title, intro, section] = entries;
		const rows = [
			['id', 'vi', 'en', 'km'],
			[title!.id, title!.vi, title!.en, 'ការវាយតម្លៃ'],
			['question.nope.text', 'x', 'y', 'ក'],
			[title!.id, title!.vi, title!.en, 'ក'],
			[intro!.id, 'Văn bản khác', intro!.en, 'ក'],
			[section!.id, section!.vi, section!.en, 'Đánh giá hồ sơ'],
			[section!.id + 'x', section!.vi],
			[entries[3]!.id, entries[3]!.vi, entries[3]!.en, 'ក\u202Eខ']
		];
		const before = await translations.exportTexts(app.db, def);
		const result = await translations.importTexts(app.db, by, def, csv(rows));
		expect(result).toEqual({
			ok: false,
			problems: [
				{ row: 3, id: 'question.nope.text', key: 'unknown_id' },
				{ row: 4, id: 'title', key: 'duplicate_id' },
				{ row: 5, id: 'intro', key: 'source_changed' },
				{ row: 6, id: 'section.case.title', key: 'not_khmer' },
				{ row: 7, id: 'section.case.titlex', key: 'columns' },
				{ row: 8, id: 'question.case_overall.text', key: 'control' }
			]
		});
		expect(await translations.exportTexts(app.db, def)).toBe(before);
		expect(translations.readTexts(def, 'code,vi\r\nx,y')).toEqual({
			problems: [{ row: 1, id: null, key: 'header' }]
		});
		expect(translations.readTexts(def, 'id,vi,en,km\r\n"a,b')).toMatchObject({
			problems: [{ id: null, key: 'malformed' }]
		});
	});

	it('leaves a text untranslated when its Khmer cell is empty, so Khmer is not offered', () => {
		const rows = [
			['id', 'vi', 'en', 'km'],
			...translations.textEntries(def).map((e) => [e.id, e.vi, e.en, ''])
		];
		const read = translations.readTexts(def, csv(rows));
		expect(read).toEqual({ texts: {} });
		// With nothing imported the file's own drafts stand.
		const partial = structuredClone(def);
		delete partial.title.km;
		expect(translations.textEntries(partial)[0]).toEqual({
			id: 'title',
			vi: def.title.vi,
			en: def.title.en,
			km: null
		});
	});
});
