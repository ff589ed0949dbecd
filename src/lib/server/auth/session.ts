import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { type Queryable, sql } from '../db';

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_DAYS = 30;
/** Over https the cookie takes the `__Host-` prefix: Secure, path /, no Domain, not settable by subdomains. */
export function sessionCookieName(secure: boolean) {
	return secure ? '__Host-session' : 'session';
}

export interface SessionUser {
	id: string;
	email: string;
	role: 'admin' | 'analyst' | 'manager' | 'clerk';
	unitCode: string | null;
	name: string | null;
	mustChangePassword: boolean;
	mfaEnrolled: boolean;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
	twoFactorVerified: boolean;
}

/** The secret the browser keeps; only its hash is stored, so a leaked table opens no session. */
export function generateSessionToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

function sessionId(token: string) {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
	db: Queryable,
	token: string,
	userId: string,
	twoFactorVerified = false
): Promise<Session> {
	const session = {
		id: sessionId(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_DAYS * DAY_MS),
		twoFactorVerified
	};
	await db.query(sql`insert into sessions (id, user_id, expires_at, two_factor_verified)
		values (${session.id}, ${userId}, ${session.expiresAt}, ${twoFactorVerified})`);
	return session;
}

/** Finds the live session of a token, sliding its expiry when it is past half its life. */
export async function validateSessionToken(
	db: Queryable,
	token: string
): Promise<{ session: Session; user: SessionUser } | null> {
	const id = sessionId(token);
	const [row] = await db.query<{
		expires_at: Date;
		user_id: string;
		email: string;
		role: SessionUser['role'];
		unit_code: string | null;
		disabled: boolean;
		name: string | null;
		must_change_password: boolean;
		mfa_enrolled: boolean;
		two_factor_verified: boolean;
	}>(sql`
		select s.expires_at, s.two_factor_verified, u.id as user_id, u.email, u.role, u.unit_code,
			u.name, u.must_change_password, u.totp_key is not null as mfa_enrolled,
			u.disabled_at is not null as disabled
		from sessions s join users u on u.id = s.user_id where s.id = ${id}`);
	if (!row) return null;
	const expiresAt = new Date(row.expires_at);
	if (row.disabled || Date.now() >= expiresAt.getTime()) {
		await invalidateSession(db, id);
		return null;
	}
	const session: Session = {
		id,
		userId: row.user_id,
		expiresAt,
		twoFactorVerified: row.two_factor_verified
	};
	if (Date.now() >= expiresAt.getTime() - (SESSION_DAYS / 2) * DAY_MS) {
		session.expiresAt = new Date(Date.now() + SESSION_DAYS * DAY_MS);
		await db.query(sql`update sessions set expires_at = ${session.expiresAt} where id = ${id}`);
	}
	return {
		session,
		user: {
			id: row.user_id,
			email: row.email,
			role: row.role,
			unitCode: row.unit_code,
			name: row.name,
			mustChangePassword: row.must_change_password,
			mfaEnrolled: row.mfa_enrolled
		}
	};
}

/** Every live session of a user, newest first, for the "your sessions" list. */
export async function listSessions(db: Queryable, userId: string) {
	return db.query<{ id: string; createdAt: Date; expiresAt: Date }>(sql`
		select id, created_at as "createdAt", expires_at as "expiresAt" from sessions
		where user_id = ${userId} and expires_at > now() order by created_at desc`);
}

/** Ends all of a user's sessions, or all but one (after a password change). */
export async function invalidateUserSessions(db: Queryable, userId: string, keep?: string) {
	await db.query(
		keep
			? sql`delete from sessions where user_id = ${userId} and id <> ${keep}`
			: sql`delete from sessions where user_id = ${userId}`
	);
}

export async function markTwoFactorVerified(db: Queryable, id: string) {
	await db.query(sql`update sessions set two_factor_verified = true where id = ${id}`);
}

export async function invalidateSession(db: Queryable, id: string) {
	await db.query(sql`delete from sessions where id = ${id}`);
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: Date,
	secure: boolean
) {
	cookies.set(sessionCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		expires: expiresAt,
		path: '/',
		secure
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean) {
	cookies.set(sessionCookieName(secure), '', {
		httpOnly: true,
		sameSite: 'lax',
		maxAge: 0,
		path: '/',
		secure
	});
}
