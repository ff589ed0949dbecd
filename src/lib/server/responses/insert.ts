import { type Database, type Queryable, json, sql, Coalescer } from '../db';
import type { ResponseRow } from './types';

/** Identical answers from the same client within this window are flagged as duplicates. */
export const DUPLICATE_WINDOW_MINUTES = 10;

/** A validated row and what storing it decides besides the row itself. */
export interface PendingRow {
	row: ResponseRow;
	/** The client's fingerprint of the day and its answers' hash (public links only). */
	clientHash: string | null;
	answersHash: string | null;
	partial: boolean;
	/** A low rating with something to follow up: a case opens with the row. */
	opensCase: boolean;
	/**
	 * The earliest local_date a duplicate of it can carry: rows with a client hash are dated at
	 * most the plausibility window before receipt, so the check reads the last month or two of
	 * partitions instead of every month.
	 */
	recentFrom: string;
}

/**
 * Inserts the rows whose ids are new, in one statement: each id is claimed in the registry
 * (unique across the monthly partitions, whatever the date) and the row inserted only if the
 * claim succeeded. A row is flagged `duplicate` when the same client sent the same answers
 * within the window, stored before or earlier in this statement; a row sent twice under one id
 * is stored once. Cases open for unflagged rows that need one.
 * @returns the ids stored by this statement
 */
export async function insertPending(q: Queryable, pending: PendingRow[]): Promise<Set<string>> {
	const batch = pending.map((p, ord) => ({
		ord,
		id: p.row.id,
		survey_id: p.row.surveyId,
		survey_version_id: p.row.surveyVersionId,
		touchpoint_id: p.row.touchpointId,
		unit_code: p.row.unitCode,
		root_unit: p.row.rootUnit,
		channel: p.row.channel,
		locale: p.row.locale,
		reported_at: p.row.reportedAt?.toISOString() ?? null,
		received_at: p.row.receivedAt.toISOString(),
		effective_at: p.row.effectiveAt.toISOString(),
		local_date: p.row.localDate,
		answers: p.row.answers,
		scores: p.row.scores,
		content_hash: p.row.contentHash,
		client_hash: p.clientHash,
		answers_hash: p.answersHash,
		partial: p.partial,
		opens_case: p.opensCase,
		recent_from: p.recentFrom,
		comment: p.row.comment,
		low_rating: p.row.lowRating
	}));
	const rows = await q.query<{ id: string }>(sql`
		with batch as (
			select * from jsonb_to_recordset(${json(batch)}) as x(
				ord integer, id uuid, survey_id text, survey_version_id integer, touchpoint_id integer,
				unit_code text, root_unit text, channel text, locale text, reported_at timestamptz,
				received_at timestamptz, effective_at timestamptz, local_date date, answers jsonb,
				scores smallint[], content_hash text, client_hash text, answers_hash text, partial boolean,
				opens_case boolean, recent_from date, comment text, low_rating boolean)),
		first as (select distinct on (id) * from batch order by id, ord),
		claimed as (
			insert into response_ids (id, content_hash) select id, content_hash from first
			on conflict (id) do nothing
			returning id),
		stored as (
			insert into responses (id, survey_id, survey_version_id, touchpoint_id, unit_code, root_unit,
				channel, locale, reported_at, received_at, effective_at, local_date, answers, scores,
				content_hash, client_hash, answers_hash, flag, comment, low_rating)
			select b.id, b.survey_id, b.survey_version_id, b.touchpoint_id, b.unit_code, b.root_unit,
				b.channel, b.locale, b.reported_at, b.received_at, b.effective_at, b.local_date, b.answers,
				b.scores, b.content_hash, b.client_hash, b.answers_hash,
				case when b.partial then 'partial' when b.client_hash is not null and (
					exists (
						select 1 from responses d
						where d.client_hash = b.client_hash and d.answers_hash = b.answers_hash
							and d.received_at > b.received_at - make_interval(mins => ${DUPLICATE_WINDOW_MINUTES})
							and d.local_date >= b.recent_from)
					or exists (
						select 1 from batch e
						where e.client_hash = b.client_hash and e.answers_hash = b.answers_hash
							and e.ord < b.ord and e.id <> b.id))
				then 'duplicate' end,
				b.comment, b.low_rating
			from first b join claimed c on c.id = b.id
			returning id, survey_id, unit_code, flag),
		opened as (
			insert into follow_up_cases (response_id, survey_id, unit_code)
			select s.id, s.survey_id, s.unit_code from stored s join first b on b.id = s.id
			where b.opens_case and s.flag is null)
		select id::text from stored`);
	return new Set(rows.map((r) => r.id));
}

/** Statements of grouped rows running at once per database: a few of the pool's connections. */
const IN_FLIGHT = 2;
const MAX_BATCH = 200;

const groups = new WeakMap<Database, Coalescer<PendingRow, boolean>>();

/**
 * Stores one row through the database's group commit (db/coalescer.ts): under load, rows
 * submitted at the same moment share one statement and one commit. Resolves once committed.
 * @returns whether the row was stored (false: its id was already there)
 */
export function insertGrouped(db: Database, pending: PendingRow): Promise<boolean> {
	let group = groups.get(db);
	if (!group) {
		group = new Coalescer(
			async (items: PendingRow[]) => {
				const stored = await insertPending(db, items);
				// The first copy of an id sent twice in one statement is the one stored.
				const seen = new Set<string>();
				return items.map((p) => {
					const first = !seen.has(p.row.id);
					seen.add(p.row.id);
					return first && stored.has(p.row.id);
				});
			},
			{ inFlight: IN_FLIGHT, maxBatch: MAX_BATCH }
		);
		groups.set(db, group);
	}
	return group.submit(pending);
}
