import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '$tests/helpers/config';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { openTestDatabase } from '$tests/helpers/test-app';
import { surveyDefinition } from '$lib/survey/definition';
import { startApp } from '../app';
import { sql } from '../db';
import { DefinitionFileError, readDefinitionFiles, syncDefinitions } from './registry';

const dirs: string[] = [];
function tempDir() {
	const dir = mkdtempSync(join(tmpdir(), 'hailong-defs-'));
	dirs.push(dir);
	return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('survey definition files', () => {
	it("ships definitions that validate, with the plan's two 85% indicators in sipas-one-stop", () => {
		const defs = readDefinitionFiles('survey-definitions');
		const sipas = defs.find((d) => d.id === 'sipas-one-stop')!;
		expect(sipas.sections.map((s) => s.id).slice(0, 5)).toEqual([
			'access',
			'procedures',
			'staff',
			'results',
			'feedback'
		]);
		expect(sipas.indicators.filter((i) => i.target === 0.85).map((i) => i.id)).toEqual([
			'overall',
			'civil_servants'
		]);
		expect(sipas.basis).toMatch(/\[C/);
		expect(sipas.basis).toMatch(/\[U/);
	});

	it('names the file, the JSON path and the problem of a broken definition', () => {
		const dir = tempDir();
		const broken = structuredClone(numbersSurvey) as Record<string, unknown> & typeof numbersSurvey;
		(broken.sections[0]!.questions[1] as Record<string, unknown>).type = 'stars';
		broken.indicators[0] = {
			...broken.indicators[0]!,
			question: 'nope'
		} as (typeof broken.indicators)[0];
		writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
		expect(() => readDefinitionFiles(dir)).toThrowError(DefinitionFileError);
		expect(() => readDefinitionFiles(dir)).toThrowError(
			/broken\.json: invalid survey definition\n {2}at \$\.sections\[0\]\.questions\[1\]\.type: /
		);
	});

	it('reports a file that is not JSON', () => {
		const dir = tempDir();
		writeFileSync(join(dir, 'bad.json'), '{ "id": ');
		expect(() => readDefinitionFiles(dir)).toThrowError(/bad\.json: not valid JSON/);
	});

	it('refuses a showIf on a later question and an indicator on a text question', () => {
		const def = structuredClone(numbersSurvey);
		def.sections[0]!.questions[0] = {
			...def.sections[0]!.questions[0]!,
			showIf: { question: 'visits', in: ['2'] }
		} as never;
		def.indicators[1] = { ...def.indicators[1]!, questions: ['comment'] } as never;
		const result = surveyDefinition.safeParse(def);
		expect(result.success).toBe(false);
		expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([
			'sections.0.questions.0.showIf.question',
			'indicators.1.questions.0'
		]);
	});

	it('stops start-up on a broken file before touching the database', async () => {
		const root = tempDir();
		cpSync('seeds', join(root, 'seeds'), { recursive: true });
		cpSync('src/lib/server/db/migrations', join(root, 'src/lib/server/db/migrations'), {
			recursive: true
		});
		const defs = join(root, 'survey-definitions');
		cpSync('survey-definitions', defs, { recursive: true });
		writeFileSync(
			join(defs, 'zz-broken.json'),
			JSON.stringify({ ...numbersSurvey, field: 'roads' })
		);
		const db = await openTestDatabase();
		try {
			await expect(startApp({ db, root, config: testConfig() })).rejects.toThrowError(
				/zz-broken\.json: invalid survey definition\n {2}at \$\.field: /
			);
		} finally {
			await db.close();
		}
	});

	it('keeps every version and refuses a changed definition under an old version number', async () => {
		const db = await openTestDatabase();
		try {
			const v1 = surveyDefinition.parse(numbersSurvey);
			await syncDefinitions(db, [v1]);
			const changed = surveyDefinition.parse({
				...numbersSurvey,
				title: { vi: 'Khác', en: 'Other' }
			});
			await expect(syncDefinitions(db, [changed])).rejects.toThrowError(
				/version 1 is already in use/
			);
			const v2 = surveyDefinition.parse({
				...numbersSurvey,
				version: 2,
				title: { vi: 'Khác', en: 'Other' }
			});
			await syncDefinitions(db, [v2]);
			const rows = await db.query<{ version: number }>(
				sql`select version from survey_versions where survey_id = 'test-numbers' order by version`
			);
			expect(rows.map((r) => r.version)).toEqual([1, 2]);
			const [survey] = await db.query<{ current_version: number }>(
				sql`select current_version from surveys where id = 'test-numbers'`
			);
			expect(survey!.current_version).toBe(2);
		} finally {
			await db.close();
		}
	});
});
