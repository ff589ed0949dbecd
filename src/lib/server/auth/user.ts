import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Queryable } from '../db';
import { sql } from '../db';
import { hashPassword } from './password';
import type { SessionUser } from './session';

export async function createUser(
	db: Queryable,
	input: { email: string; password: string; role: SessionUser['role']; unitCode?: string | null }
): Promise<string> {
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(12)));
	await db.query(sql`
		insert into users (id, email, password_hash, role, unit_code)
		values (${id}, ${normaliseEmail(input.email)}, ${await hashPassword(input.password)},
			${input.role}, ${input.unitCode ?? null})`);
	return id;
}

export async function findForSignIn(db: Queryable, email: string) {
	const [row] = await db.query<{ id: string; password_hash: string; disabled: boolean }>(sql`
		select id, password_hash, disabled_at is not null as disabled
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
