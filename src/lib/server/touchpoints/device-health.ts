import { z } from 'zod';
import { openingMinutesBetween, type OpeningHours } from '$lib/kiosk/opening-hours';
import { type Queryable, json, sql } from '../db';
import { hashSecret } from '../auth';

/** What a kiosk reports every minute. */
export const heartbeat = z.strictObject({
	queueLength: z.number().int().min(0).max(1_000_000),
	oldestQueuedAt: z.iso.datetime({ offset: true }).nullable(),
	lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
	deadLetters: z.number().int().min(0).max(1_000_000).default(0),
	appVersion: z
		.string()
		.max(40)
		.regex(/^[\w.+-]*$/),
	online: z.boolean()
});
export type Heartbeat = z.infer<typeof heartbeat>;

/** A kiosk is flagged when it has missed more than this much opening time. */
export const SILENT_AFTER_MINUTES = 30;

export interface DeviceHealth {
	id: string;
	name: string;
	touchpoint: string;
	unitCode: string;
	surveyId: string;
	pairedAt: Date | null;
	lastSeenAt: Date | null;
	heartbeatAt: Date | null;
	heartbeat: Heartbeat | null;
	silentMinutes: number;
	silent: boolean;
}

/**
 * Records a heartbeat from the device holding this token; what the touchpoint expects of it
 * comes back (idle behaviour, the survey and its current version), so a kiosk picks up changes
 * between respondents. Undefined for an unknown or revoked token.
 */
export async function recordHeartbeat(db: Queryable, token: string, beat: Heartbeat) {
	if (!/^dv_[a-z2-7]{32}$/.test(token)) return undefined;
	const [row] = await db.query<{
		touchpoint: string;
		unitCode: string;
		survey: string;
		idleSeconds: number;
		idlePolicy: 'discard' | 'submit';
		active: boolean;
	}>(sql`
		update devices d set heartbeat = ${json(beat)}, heartbeat_at = now(), last_seen_at = now()
		from touchpoints t
		where d.token_hash = ${hashSecret(token)} and d.revoked_at is null and t.id = d.touchpoint_id
		returning t.code as touchpoint, t.unit_code as "unitCode", t.survey_id as survey, t.idle_seconds as "idleSeconds",
			t.idle_policy as "idlePolicy", t.active`);
	return row;
}

/** Every paired, live device with its last report, the silent ones flagged. */
export async function listHealth(
	db: Queryable,
	hours: OpeningHours,
	now = new Date()
): Promise<DeviceHealth[]> {
	const rows = await db.query<Omit<DeviceHealth, 'silentMinutes' | 'silent'>>(sql`
		select d.id, d.name, t.code as touchpoint, t.unit_code as "unitCode", t.survey_id as "surveyId",
			d.paired_at as "pairedAt", d.last_seen_at as "lastSeenAt", d.heartbeat_at as "heartbeatAt",
			d.heartbeat
		from devices d join touchpoints t on t.id = d.touchpoint_id
		where d.revoked_at is null and d.paired_at is not null
		order by t.unit_code, d.name`);
	return rows.map((row) => {
		const since = row.lastSeenAt ?? row.pairedAt;
		const silentMinutes = since ? openingMinutesBetween(hours, new Date(since), now) : 0;
		return {
			...row,
			heartbeat: typeof row.heartbeat === 'string' ? JSON.parse(row.heartbeat) : row.heartbeat,
			silentMinutes,
			silent: silentMinutes > SILENT_AFTER_MINUTES
		};
	});
}
