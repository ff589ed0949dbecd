import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { scaleQuestionIds, surveyDefinition, type SurveyDefinition } from '$lib/survey/definition';
import { type Queryable, json, sql } from '../db';

export interface SurveyVersion {
	/** survey_versions.id */
	versionId: number;
	definition: SurveyDefinition;
	scaleQuestions: string[];
}

/** Survey versions in memory: definitions are small, read on every submission, and immutable. */
export interface SurveyRegistry {
	current(surveyId: string): SurveyVersion | undefined;
	byVersionId(versionId: number): SurveyVersion | undefined;
	/** A published version by its number: a kiosk respondent finishes on the version they began. */
	version(surveyId: string, version: number): SurveyVersion | undefined;
	list(): SurveyVersion[];
	/** Every published version of one survey, oldest first. */
	versions(surveyId: string): SurveyVersion[];
}

export class DefinitionFileError extends Error {}

/**
 * Reads and validates every `*.json` file of a folder (schema.json aside). Any invalid file stops
 * the load with its name, the JSON path of each problem and what is wrong there.
 */
export function readDefinitionFiles(dir: string): SurveyDefinition[] {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.json') && f !== 'schema.json')
		.sort();
	const definitions = files.map((file) => parseDefinitionFile(join(dir, file), file));
	const ids = new Map<string, string>();
	definitions.forEach((d, i) => {
		const other = ids.get(d.id);
		if (other)
			throw new DefinitionFileError(`${files[i]}: survey id "${d.id}" is also used by ${other}`);
		ids.set(d.id, files[i]!);
	});
	return definitions;
}

function parseDefinitionFile(path: string, name: string): SurveyDefinition {
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		throw new DefinitionFileError(`${name}: not valid JSON (${(error as Error).message})`);
	}
	const parsed = surveyDefinition.safeParse(json);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `  at ${jsonPath(i.path)}: ${i.message}`);
		throw new DefinitionFileError(`${name}: invalid survey definition\n${problems.join('\n')}`);
	}
	return parsed.data;
}

function jsonPath(path: PropertyKey[]): string {
	return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function contentHash(def: SurveyDefinition): string {
	const { $schema: _schema, ...content } = def;
	return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Records each definition as a survey version. A file whose version number is already stored
 * with different content is refused: responses point at versions, so a change needs a new one.
 */
export async function syncDefinitions(db: Queryable, definitions: SurveyDefinition[]) {
	for (const def of definitions) {
		const hash = contentHash(def);
		const [stored] = await db.query<{ content_hash: string }>(
			sql`select content_hash from survey_versions where survey_id = ${def.id} and version = ${def.version}`
		);
		if (stored && stored.content_hash !== hash) {
			throw new DefinitionFileError(
				`${def.id}: version ${def.version} is already in use with other content; raise "version" to publish a change`
			);
		}
		await db.query(sql`
			insert into surveys (id, field, current_version) values (${def.id}, ${def.field}, ${def.version})
			on conflict (id) do update set field = excluded.field,
				current_version = greatest(surveys.current_version, excluded.current_version)`);
		if (!stored) {
			await db.query(sql`
				insert into survey_versions (survey_id, version, definition, scale_questions, content_hash)
				values (${def.id}, ${def.version}, ${json(def)}, ${scaleQuestionIds(def)}, ${hash})`);
		}
	}
}

const storedRow = z.object({
	id: z.number(),
	survey_id: z.string(),
	version: z.number(),
	definition: z.unknown(),
	scale_questions: z.array(z.string()),
	current: z.boolean()
});

/** Loads every stored version, old ones included, so old responses stay readable. */
export async function loadRegistry(db: Queryable): Promise<SurveyRegistry> {
	const rows = await db.query(sql`
		select v.id, v.survey_id, v.version, v.definition, v.scale_questions,
			(v.version = s.current_version) as current
		from survey_versions v join surveys s on s.id = v.survey_id
		order by v.survey_id, v.version`);
	const byId = new Map<number, SurveyVersion>();
	const current = new Map<string, SurveyVersion>();
	for (const raw of rows) {
		const row = storedRow.parse(raw);
		const definition = surveyDefinition.parse(row.definition);
		const version = { versionId: row.id, definition, scaleQuestions: row.scale_questions };
		byId.set(row.id, version);
		if (row.current) current.set(row.survey_id, version);
	}
	return {
		current: (id) => current.get(id),
		byVersionId: (id) => byId.get(id),
		version: (surveyId, n) =>
			[...byId.values()].find((v) => v.definition.id === surveyId && v.definition.version === n),
		list: () => [...current.values()],
		versions: (surveyId) => [...byId.values()].filter((v) => v.definition.id === surveyId)
	};
}
