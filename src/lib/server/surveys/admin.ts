import type { Channel } from '$lib/survey/definition';
import { type Queryable, sql } from '../db';

export interface SurveySummary {
	id: string;
	field: string;
	currentVersion: number;
	versions: { version: number; createdAt: string }[];
	/** Active touchpoints per channel. */
	channels: Partial<Record<Channel, number>>;
	touchpoints: number;
}

/** Every stored survey with its versions and where it is in use (active touchpoints). */
export async function summaries(db: Queryable): Promise<SurveySummary[]> {
	const surveys = await db.query<{ id: string; field: string; currentVersion: number }>(sql`
		select id, field, current_version as "currentVersion" from surveys order by id`);
	const versions = await db.query<{ surveyId: string; version: number; createdAt: string }>(sql`
		select survey_id as "surveyId", version,
			to_char(created_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') as "createdAt"
		from survey_versions order by survey_id, version`);
	const uses = await db.query<{ surveyId: string; channel: Channel; n: number }>(sql`
		select survey_id as "surveyId", channel, count(*)::int as n
		from touchpoints where active group by 1, 2 order by 1, 2`);
	return surveys.map((s) => {
		const used = uses.filter((u) => u.surveyId === s.id);
		return {
			...s,
			versions: versions
				.filter((v) => v.surveyId === s.id)
				.map(({ version, createdAt }) => ({ version, createdAt })),
			channels: Object.fromEntries(used.map((u) => [u.channel, u.n])),
			touchpoints: used.reduce((a, u) => a + u.n, 0)
		};
	});
}
