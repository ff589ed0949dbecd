import { audit, type Actor } from '../audit';
import { type Database, type Queryable, sql } from '../db';
import { redirect } from '@sveltejs/kit';
import { requireAccess, requireUser, safeRedirect } from './guard';
import type { Capability } from './scope';
import { invalidateUserSessions, type SessionUser } from './session';
import * as users from './user';

/** Who did it and from where, for the audit log. */
export interface Act {
	actor: Actor;
	client: string;
}

/** Where a user lands after sign-in when no page was asked for: clerks key in paper forms. */
export function homeFor(user: Pick<SessionUser, 'role'>): string {
	return user.role === 'clerk' ? '/entry' : '/dashboard';
}

/** The page asked for in `redirectTo` when it is a same-origin path, else the user's home. */
export function landingFor(user: Pick<SessionUser, 'role'>, redirectTo: string | null): string {
	return redirectTo && safeRedirect(redirectTo) === redirectTo ? redirectTo : homeFor(user);
}

// No 0/O, 1/l/I: temporary passwords are read aloud or copied from a screen.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 random characters (≈ 79 bits) in groups of four, e.g. `k7mq-2xrt-9vha-wp3e`. */
export function generateTemporaryPassword(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	// 256 is not a multiple of 31; the bias left by the modulo is far below anything guessable.
	const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
	return chars.replace(/(.{4})(?!$)/g, '$1-');
}

export interface NewAccount {
	email: string;
	name: string | null;
	role: users.Role;
	unitCode: string | null;
}

/** Creates an account with a temporary password, returned once and never stored in clear. */
export async function createAccount(db: Database, act: Act, input: NewAccount) {
	const password = generateTemporaryPassword();
	const id = await db.transaction(async (tx) => {
		const id = await users.createUser(tx, { ...input, password, mustChangePassword: true });
		await audit(tx, {
			...act,
			action: 'user_created',
			target: users.normaliseEmail(input.email),
			detail: { role: input.role, unit: input.unitCode }
		});
		return id;
	});
	return { id, password };
}

/** Changes name, role and unit; the audit entry keeps the before and after. */
export async function changeAccount(
	db: Database,
	act: Act,
	before: users.UserRecord,
	after: { name: string | null; role: users.Role; unitCode: string | null }
) {
	await db.transaction(async (tx) => {
		await users.updateProfile(tx, before.id, after);
		await audit(tx, {
			...act,
			action: 'user_changed',
			target: before.email,
			detail: {
				before: { role: before.role, unit: before.unitCode, name: before.name },
				after: { role: after.role, unit: after.unitCode, name: after.name }
			}
		});
	});
}

/** A disabled user is out at once: every session ends and every API token is revoked. */
export async function disableAccount(db: Database, act: Act, user: users.UserRecord) {
	await db.transaction(async (tx) => {
		await users.setDisabled(tx, user.id, true);
		await invalidateUserSessions(tx, user.id);
		await revokeAllApiTokens(tx, user.id);
		await audit(tx, { ...act, action: 'user_disabled', target: user.email });
	});
}

export async function enableAccount(db: Database, act: Act, user: users.UserRecord) {
	await db.transaction(async (tx) => {
		await users.setDisabled(tx, user.id, false);
		await audit(tx, { ...act, action: 'user_enabled', target: user.email });
	});
}

/** A new temporary password, shown once; the old one and every session stop working. */
export async function resetPassword(db: Database, act: Act, user: users.UserRecord) {
	const password = generateTemporaryPassword();
	await db.transaction(async (tx) => {
		await users.setPassword(tx, user.id, password, true);
		await invalidateUserSessions(tx, user.id);
		await audit(tx, {
			...act,
			action: 'user_changed',
			target: user.email,
			detail: { passwordReset: true }
		});
	});
	return password;
}

// Tokens die with the account: re-enabling a user does not bring old tokens back.
async function revokeAllApiTokens(db: Queryable, userId: string) {
	await db.query(sql`
		update api_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`);
}

/** Ends one of the user's own sessions; false when the id is not theirs or already gone. */
export async function revokeOwnSession(db: Queryable, userId: string, sessionId: string) {
	const rows = await db.query(sql`
		delete from sessions where id = ${sessionId} and user_id = ${userId} returning id`);
	return rows.length > 0;
}

/** Whether the second factor was given in this session (the hooks gate on it; pages ask here). */
export async function sessionTwoFactorVerified(db: Queryable, sessionId: string) {
	const [row] = await db.query<{ verified: boolean }>(sql`
		select two_factor_verified as verified from sessions where id = ${sessionId}`);
	return row?.verified ?? false;
}

/**
 * The account pages also serve as gates (password change, MFA set-up) that the hooks let through
 * before the second factor is given. Changing a password or a second factor needs a session that
 * has given it: a stolen password alone must not be enough to turn MFA off.
 */
export async function requireFullSession(
	db: Queryable,
	locals: App.Locals,
	url: URL,
	capability?: Capability
): Promise<SessionUser> {
	const user = capability ? requireAccess(locals, url, capability) : requireUser(locals, url);
	if (
		user.mfaEnrolled &&
		(!locals.sessionId || !(await sessionTwoFactorVerified(db, locals.sessionId)))
	)
		redirect(303, '/login/totp');
	return user;
}
