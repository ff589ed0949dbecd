import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { type Queryable, sql } from '../db';

export const MAX_BATCH = 1000;

export interface ReceiptToken {
	token: string;
	usedAt: Date | null;
}

/** 60 random bits: short in a QR code, far too many to guess one that was printed. */
function newToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(8))).slice(0, 12);
}

/** Makes a batch of one-time tokens for a touchpoint, to print on appointment receipts. */
export async function createBatch(
	db: Queryable,
	touchpointId: number,
	count: number
): Promise<string> {
	const batchId = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(6)));
	const tokens = Array.from({ length: count }, newToken);
	await db.query(sql`
		insert into receipt_tokens (token, touchpoint_id, batch_id)
		select unnest(${tokens}::text[]), ${touchpointId}, ${batchId}`);
	return batchId;
}

export async function listBatch(
	db: Queryable,
	touchpointId: number,
	batchId: string
): Promise<ReceiptToken[]> {
	if (!/^[a-z2-7]{1,32}$/.test(batchId)) return [];
	return db.query<ReceiptToken>(sql`
		select token, used_at as "usedAt" from receipt_tokens
		where touchpoint_id = ${touchpointId} and batch_id = ${batchId} order by created_at, token`);
}

export async function batches(db: Queryable, touchpointId: number) {
	return db.query<{ batchId: string; createdAt: Date; total: number; used: number }>(sql`
		select batch_id as "batchId", min(created_at) as "createdAt", count(*)::int as total,
			count(used_at)::int as used
		from receipt_tokens where touchpoint_id = ${touchpointId}
		group by batch_id order by min(created_at) desc`);
}

export type TokenState = 'unused' | 'used' | 'unknown';

export async function stateOf(
	db: Queryable,
	touchpointId: number,
	token: string
): Promise<TokenState> {
	if (token.length > 32) return 'unknown';
	const [row] = await db.query<{ used: boolean }>(sql`
		select used_at is not null as used from receipt_tokens
		where token = ${token} and touchpoint_id = ${touchpointId}`);
	return !row ? 'unknown' : row.used ? 'used' : 'unused';
}

/**
 * Marks a token used by a response, in the caller's transaction; false when it was used already
 * (or is not this touchpoint's), so a second answer with the same receipt is refused.
 */
export async function consume(
	db: Queryable,
	touchpointId: number,
	token: string,
	responseId: string
) {
	const rows = await db.query(sql`
		update receipt_tokens set used_at = now(), response_id = ${responseId}::uuid
		where token = ${token} and touchpoint_id = ${touchpointId} and used_at is null
		returning token`);
	return rows.length === 1;
}
