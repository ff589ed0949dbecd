import type { Contact } from '$lib/survey/contact';
import { type Queryable, sql } from '../db';

/** Keeps a respondent's contact details apart from the answers, with the purpose they agreed to. */
export async function save(db: Queryable, responseId: string, contact: Contact, purpose: string) {
	await db.query(sql`
		insert into response_contacts (response_id, name, phone, purpose, consented_at)
		values (${responseId}::uuid, ${contact.name}, ${contact.phone}, ${purpose}, now())`);
}

export async function has(db: Queryable, responseId: string): Promise<boolean> {
	const rows = await db.query(
		sql`select 1 from response_contacts where response_id = ${responseId}::uuid`
	);
	return rows.length > 0;
}

/** Consent withdrawn: the contact details go, the answers stay. */
export async function withdraw(db: Queryable, responseId: string): Promise<boolean> {
	const rows = await db.query(
		sql`delete from response_contacts where response_id = ${responseId}::uuid returning 1`
	);
	return rows.length > 0;
}
