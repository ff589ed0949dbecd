import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { type Queryable, sql } from '../db';
import { can } from './scope';
import type { SessionUser } from './session';

/** Read-only tokens for BI tools: `hl_` and 160 random bits; only the SHA-256 is stored. */
export function generateApiToken(): string {
	return `hl_${encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)))}`;
}

export function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export interface ApiToken {
	id: string;
	name: string;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

export async function createApiToken(db: Queryable, userId: string, name: string) {
	const token = generateApiToken();
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
	await db.query(sql`
		insert into api_tokens (id, user_id, name, token_hash)
		values (${id}, ${userId}, ${name}, ${hashSecret(token)})`);
	return { id, token };
}

export async function listApiTokens(db: Queryable, userId: string): Promise<ApiToken[]> {
	return db.query<ApiToken>(sql`
		select id, name, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"
		from api_tokens where user_id = ${userId} order by created_at desc`);
}

/** Revokes one of the user's own tokens; false when there is no such live token. */
export async function revokeApiToken(db: Queryable, userId: string, id: string) {
	const rows = await db.query(sql`
		update api_tokens set revoked_at = now()
		where id = ${id} and user_id = ${userId} and revoked_at is null returning id`);
	return rows.length > 0;
}

/**
 * The owner of a live token, if that owner is enabled and may still hold tokens. A token never
 * carries more than read access: the hooks accept it on GET requests only.
 */
export async function userOfApiToken(db: Queryable, token: string): Promise<SessionUser | null> {
	if (!/^hl_[a-z2-7]{32}$/.test(token)) return null;
	const [row] = await db.query<{
		id: string;
		token_id: string;
		email: string;
		role: SessionUser['role'];
		unit_code: string | null;
		name: string | null;
	}>(sql`
		select u.id, t.id as token_id, u.email, u.role, u.unit_code, u.name
		from api_tokens t join users u on u.id = t.user_id
		where t.token_hash = ${hashSecret(token)} and t.revoked_at is null and u.disabled_at is null`);
	if (!row) return null;
	const user: SessionUser = {
		id: row.id,
		email: row.email,
		role: row.role,
		unitCode: row.unit_code,
		name: row.name,
		mustChangePassword: false,
		mfaEnrolled: false
	};
	if (!can(user, 'apiTokens')) return null;
	await db.query(sql`update api_tokens set last_used_at = now() where id = ${row.token_id}`);
	return user;
}
