import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { type Queryable, sql } from '../db';
import { hashPassword } from './password';
import type { SessionUser } from './session';

export type Role = SessionUser['role'];

/** A user as the administration pages show it; never carries the hash or the TOTP key. */
export interface UserRecord {
	id: string;
	email: string;
	name: string | null;
	role: Role;
	unitCode: string | null;
	mustChangePassword: boolean;
	mfaEnrolled: boolean;
	disabledAt: Date | null;
	createdAt: Date;
	passwordChangedAt: Date | null;
}

export async function createUser(
	db: Queryable,
	input: {
		email: string;
		password: string;
		role: Role;
		unitCode?: string | null;
		name?: string | null;
		mustChangePassword?: boolean;
	}
): Promise<string> {
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(12)));
	await db.query(sql`
		insert into users (id, email, password_hash, role, unit_code, name, must_change_password)
		values (${id}, ${normaliseEmail(input.email)}, ${await hashPassword(input.password)},
			${input.role}, ${input.unitCode ?? null}, ${input.name ?? null},
			${input.mustChangePassword ?? false})`);
	return id;
}

export async function findForSignIn(db: Queryable, email: string) {
	const [row] = await db.query<{
		id: string;
		email: string;
		role: Role;
		unit_code: string | null;
		password_hash: string;
		disabled: boolean;
		mfa_enrolled: boolean;
	}>(sql`
		select id, email, role, unit_code, password_hash, disabled_at is not null as disabled,
			totp_key is not null as mfa_enrolled
		from users where email = ${normaliseEmail(email)}`);
	return row;
}

export async function countUsers(db: Queryable): Promise<number> {
	const [row] = await db.query<{ n: number }>(sql`select count(*)::int as n from users`);
	return row?.n ?? 0;
}

export function normaliseEmail(email: string) {
	return email.normalize('NFC').trim().toLowerCase();
}

const selectUser = sql`
	select id, email, name, role, unit_code as "unitCode",
		must_change_password as "mustChangePassword", totp_key is not null as "mfaEnrolled",
		disabled_at as "disabledAt", created_at as "createdAt",
		password_changed_at as "passwordChangedAt"
	from users`;

/** Every account, for the administrators' list: enabled first, then by email. */
export async function listUsers(db: Queryable): Promise<UserRecord[]> {
	return db.query<UserRecord>(sql`${selectUser} order by disabled_at is not null, email`);
}

export async function getUser(db: Queryable, id: string): Promise<UserRecord | undefined> {
	const [row] = await db.query<UserRecord>(sql`${selectUser} where id = ${id}`);
	return row;
}

export async function emailTaken(db: Queryable, email: string): Promise<boolean> {
	const [row] = await db.query<{ taken: boolean }>(sql`
		select exists (select 1 from users where email = ${normaliseEmail(email)}) as taken`);
	return row?.taken ?? false;
}

export async function updateProfile(
	db: Queryable,
	id: string,
	change: { name: string | null; role: Role; unitCode: string | null }
) {
	await db.query(sql`
		update users set name = ${change.name}, role = ${change.role}, unit_code = ${change.unitCode}
		where id = ${id}`);
}

/** Disabling keeps the row (audit entries and responses point at it); enabling clears the mark. */
export async function setDisabled(db: Queryable, id: string, disabled: boolean) {
	await db.query(
		disabled
			? sql`update users set disabled_at = now() where id = ${id} and disabled_at is null`
			: sql`update users set disabled_at = null where id = ${id}`
	);
}

/** Stores a new password; a temporary one (set by an administrator) must be changed at sign-in. */
export async function setPassword(db: Queryable, id: string, password: string, temporary: boolean) {
	const hash = await hashPassword(password);
	await db.query(sql`
		update users set password_hash = ${hash}, must_change_password = ${temporary},
			password_changed_at = now()
		where id = ${id}`);
}

export async function passwordHashOf(db: Queryable, id: string): Promise<string | undefined> {
	const [row] = await db.query<{ password_hash: string }>(
		sql`select password_hash from users where id = ${id}`
	);
	return row?.password_hash;
}

export async function totpKeyOf(db: Queryable, id: string): Promise<Uint8Array | null> {
	const [row] = await db.query<{ totp_key: Uint8Array | null }>(
		sql`select totp_key from users where id = ${id}`
	);
	return row?.totp_key ? new Uint8Array(row.totp_key) : null;
}

/** Stores the confirmed TOTP key, or removes it (null). */
export async function setTotpKey(db: Queryable, id: string, key: Uint8Array | null) {
	await db.query(sql`
		update users set totp_key = ${key && Buffer.from(key)}, totp_last_step = null where id = ${id}`);
}

/**
 * Records the time step of a code just accepted. False when that step or a later one was already
 * used: a code seen over a shoulder or replayed from a log opens nothing.
 */
export async function claimTotpStep(db: Queryable, id: string, step: number): Promise<boolean> {
	const rows = await db.query(sql`
		update users set totp_last_step = ${step}
		where id = ${id} and (totp_last_step is null or totp_last_step < ${step}) returning id`);
	return rows.length > 0;
}
