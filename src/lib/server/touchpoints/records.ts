import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Channel } from '$lib/survey/definition';
import { type Queryable, empty, sql, type Statement } from '../db';

export interface Touchpoint {
	id: number;
	code: string;
	surveyId: string;
	unitCode: string;
	rootUnit: string;
	channel: Channel;
	active: boolean;
}

/** 80 random bits in 16 URL-safe characters: short enough for a QR code, not guessable. */
export function newCode(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
}

export async function create(
	db: Queryable,
	{ surveyId, unitCode, channel }: { surveyId: string; unitCode: string; channel: Channel }
): Promise<string> {
	const code = newCode();
	await db.query(sql`
		insert into touchpoints (code, survey_id, unit_code, channel)
		values (${code}, ${surveyId}, ${unitCode}, ${channel})`);
	return code;
}

function select(filter: Statement) {
	return sql`
		with recursive tp as (select * from touchpoints t ${filter}),
		up as (
			select tp.id as tid, u.code, u.parent_code from tp join units u on u.code = tp.unit_code
			union all
			select up.tid, u.code, u.parent_code from units u join up on u.code = up.parent_code)
		select t.id, t.code, t.survey_id as "surveyId", t.unit_code as "unitCode", t.channel, t.active,
			(select code from up where up.tid = t.id and up.parent_code is null) as "rootUnit"
		from tp t order by t.id`;
}

export async function findByCode(db: Queryable, code: string): Promise<Touchpoint | undefined> {
	// Codes are base32 (newCode); anything else, a NUL byte say, is unknown without asking SQL.
	if (!/^[a-z2-7]{1,64}$/.test(code)) return undefined;
	const [row] = await db.query<Touchpoint>(select(sql`where t.code = ${code}`));
	return row;
}

export async function list(db: Queryable): Promise<Touchpoint[]> {
	return db.query<Touchpoint>(select(empty));
}

/** The touchpoints whose unit lies in `units` (a user's scope); null means every touchpoint. */
export async function listWithin(db: Queryable, units: Set<string> | null): Promise<Touchpoint[]> {
	const all = await list(db);
	return units ? all.filter((t) => units.has(t.unitCode)) : all;
}

/** Opens or closes a touchpoint to new responses; false when it already was in that state. */
export async function setActive(db: Queryable, id: number, active: boolean): Promise<boolean> {
	const rows = await db.query(sql`
		update touchpoints set active = ${active} where id = ${id} and active <> ${active} returning id`);
	return rows.length === 1;
}

export async function forSurveyAtUnit(
	db: Queryable,
	surveyId: string,
	unitCode: string,
	channel: Channel
) {
	return db.query<{ code: string }>(sql`
		select code from touchpoints
		where survey_id = ${surveyId} and unit_code = ${unitCode} and channel = ${channel} and active`);
}

/** What a kiosk does when a respondent walks away: wait this long, then drop or send. */
export interface IdleSettings {
	idleSeconds: number;
	idlePolicy: 'discard' | 'submit';
}

export async function idleSettings(db: Queryable, touchpointId: number): Promise<IdleSettings> {
	const [row] = await db.query<IdleSettings>(sql`
		select idle_seconds as "idleSeconds", idle_policy as "idlePolicy"
		from touchpoints where id = ${touchpointId}`);
	return row!;
}

export async function setIdleSettings(db: Queryable, touchpointId: number, next: IdleSettings) {
	await db.query(sql`
		update touchpoints set idle_seconds = ${next.idleSeconds}, idle_policy = ${next.idlePolicy}
		where id = ${touchpointId}`);
}
