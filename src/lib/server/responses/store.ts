import { createHash } from 'node:crypto';
import { checkAnswers, scoresOf, type AnswerError, type Answers } from '$lib/survey/answers';
import { commentOf, hasLowRating } from '$lib/survey/comments';
import { effectiveInstant, localDate, PLAUSIBLE_PAST_MS } from '$lib/survey/periods';
import { type Database, type Queryable, sql } from '../db';
import * as contacts from './contacts';
import { receiptTokens } from '../touchpoints';
import { DUPLICATE_WINDOW_MINUTES, insertGrouped, insertPending, type PendingRow } from './insert';
import type { SurveyRegistry, SurveyVersion } from '../surveys';
import type { ResponseRow, StoreResult, Submission } from './types';

export type { ResponseRow, StoreResult, Submission };

/**
 * The identity of a response's content for idempotency: a replay of the same submission hashes
 * the same, a different submission under the same id does not.
 */
export function contentHash(parts: {
	where: string;
	reportedAt: Date | null;
	locale: string;
	answers: Answers;
	partial?: boolean;
}): string {
	return sha256(
		JSON.stringify([
			parts.where,
			parts.reportedAt?.toISOString() ?? null,
			parts.locale,
			canonical(parts.answers),
			// Only partial responses carry the marker, so earlier hashes stay as they were.
			...(parts.partial ? ['partial'] : [])
		])
	);
}

/** Answers as a list sorted by question id, so equal answers serialise equally. */
function canonical(answers: Answers) {
	return Object.keys(answers)
		.sort()
		.map((k) => [k, answers[k]]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Validates a submission against its survey's current version and builds the row to store. */
export function prepare(
	version: SurveyVersion,
	input: Omit<
		ResponseRow,
		| 'surveyId'
		| 'surveyVersionId'
		| 'effectiveAt'
		| 'localDate'
		| 'answers'
		| 'scores'
		| 'contentHash'
		| 'comment'
		| 'lowRating'
	> & {
		answers: unknown;
		/** What ties the content to a place: the touchpoint code, or the unit for paper. */
		where: string;
		/** A paper questionnaire's own date: taken as it is, with no plausibility window. */
		paperDate?: { effectiveAt: Date; localDate: string };
		partial?: boolean;
	}
): { ok: true; row: ResponseRow } | { ok: false; errors: AnswerError[] } {
	const checked = checkAnswers(version.definition, input.answers, { partial: input.partial });
	if (!checked.ok) return checked;
	const effectiveAt =
		input.paperDate?.effectiveAt ?? effectiveInstant(input.reportedAt, input.receivedAt);
	const { where: _, paperDate, partial, ...rest } = input;
	return {
		ok: true,
		row: {
			...rest,
			surveyId: version.definition.id,
			surveyVersionId: version.versionId,
			effectiveAt,
			localDate: paperDate?.localDate ?? localDate(effectiveAt),
			answers: checked.answers,
			scores: scoresOf(version.definition, checked.answers),
			comment: commentOf(version.definition, checked.answers),
			lowRating: hasLowRating(version.definition, checked.answers),
			contentHash: contentHash({
				where: input.where,
				reportedAt: input.reportedAt,
				locale: input.locale,
				answers: checked.answers,
				partial
			})
		}
	};
}

class TokenUsed extends Error {}

/**
 * Stores one response exactly once. Without a receipt token or contact details the row goes
 * through the group commit (one statement, shared with rows submitted at the same moment); with
 * them, the token is consumed and the contact saved in the row's own transaction. On an existing
 * id the stored content decides between a harmless replay and a conflict. A response from a
 * client that sent the very same answers to the same touchpoint a few minutes earlier is stored
 * but flagged, and results leave it out.
 */
export async function store(
	db: Database,
	surveys: SurveyRegistry,
	submission: Submission
): Promise<StoreResult> {
	const version = submission.version ?? surveys.current(submission.touchpoint.surveyId);
	if (!version) throw new Error(`survey ${submission.touchpoint.surveyId} is not loaded`);
	const prepared = prepare(version, {
		id: submission.id,
		touchpointId: submission.touchpoint.id,
		unitCode: submission.touchpoint.unitCode,
		rootUnit: submission.touchpoint.rootUnit,
		channel: submission.touchpoint.channel,
		locale: submission.locale,
		reportedAt: submission.reportedAt,
		receivedAt: submission.receivedAt,
		answers: submission.answers,
		where: submission.touchpoint.code,
		partial: submission.partial
	});
	if (!prepared.ok) return { status: 'invalid', errors: prepared.errors };
	const row = prepared.row;
	const client = submission.clientHash ?? null;
	const answersHash = client
		? sha256(JSON.stringify([row.touchpointId, canonical(row.answers)]))
		: null;
	const pending: PendingRow = {
		row,
		clientHash: client,
		answersHash,
		partial: submission.partial === true,
		// A low rating with something to follow up (a comment, or contact details to call back)
		// opens a case in the same statement, so a stored response never lacks its case.
		opensCase: row.lowRating && (row.comment !== null || !!submission.contact),
		recentFrom: localDate(
			new Date(row.receivedAt.getTime() - DUPLICATE_WINDOW_MINUTES * 60_000 - PLAUSIBLE_PAST_MS)
		)
	};
	let stored: boolean;
	try {
		const { receiptToken: token, contact } = submission;
		stored =
			token || contact
				? await db.transaction(async (tx) => {
						if (!(await insertPending(tx, [pending])).size) return false;
						if (
							token &&
							!(await receiptTokens.consume(tx, submission.touchpoint.id, token, row.id))
						) {
							throw new TokenUsed();
						}
						if (contact) await contacts.save(tx, row.id, contact, contact.purpose);
						return true;
					})
				: await insertGrouped(db, pending);
	} catch (error) {
		if (error instanceof TokenUsed) return { status: 'token_used' };
		throw error;
	}
	if (stored) return { status: 'stored', id: row.id };
	const [existing] = await db.query<{ content_hash: string }>(
		sql`select content_hash from response_ids where id = ${row.id}::uuid`
	);
	return existing?.content_hash === row.contentHash
		? { status: 'duplicate', id: row.id }
		: { status: 'conflict', id: row.id };
}

/**
 * Inserts many prepared rows in statements of a few thousand (the bulk path for imports and
 * generated data), through the same statement as store(). Rows whose id is already stored, or
 * came earlier in `rows`, are skipped; a low rating with a comment opens its case (bulk rows
 * carry no contact and no client fingerprint).
 * @returns how many rows were new
 */
export async function insertMany(
	db: Queryable,
	rows: ResponseRow[],
	batchSize = 2000
): Promise<number> {
	let added = 0;
	for (let i = 0; i < rows.length; i += batchSize) {
		const batch = rows.slice(i, i + batchSize).map((row): PendingRow => ({
			row,
			clientHash: null,
			answersHash: null,
			partial: false,
			opensCase: row.lowRating && row.comment !== null,
			recentFrom: row.localDate
		}));
		added += (await insertPending(db, batch)).size;
	}
	return added;
}

/** Stored content hashes of the given ids, to tell replays from conflicts before a bulk insert. */
export async function existingHashes(db: Queryable, ids: string[]): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const rows = await db.query<{ id: string; content_hash: string }>(
		sql`select id::text, content_hash from response_ids where id = any(${ids}::uuid[])`
	);
	return new Map(rows.map((r) => [r.id, r.content_hash]));
}
