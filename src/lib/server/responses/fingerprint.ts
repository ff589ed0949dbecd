import { createHash, randomBytes } from 'node:crypto';
import { localDate } from '$lib/survey/periods';
import { type Queryable, sql } from '../db';

/** Day → salt, shared by every request of this process. */
export type SaltCache = Map<string, string>;

async function saltOf(db: Queryable, cache: SaltCache, day: string): Promise<string> {
	const cached = cache.get(day);
	if (cached) return cached;
	await db.query(sql`insert into client_salts (day, salt) values (${day}::date, ${randomBytes(32).toString('hex')})
		on conflict (day) do nothing`);
	// Salts of past days go, so old fingerprints cannot be tied to an address any more.
	await db.query(sql`delete from client_salts where day < ${day}::date - 1`);
	const [row] = await db.query<{ salt: string }>(
		sql`select salt from client_salts where day = ${day}::date`
	);
	cache.clear();
	cache.set(day, row!.salt);
	return row!.salt;
}

/**
 * A client's fingerprint for the day: a salted hash of its address and browser. The address is
 * never stored; the salt changes every day (Asia/Ho_Chi_Minh), so fingerprints of different days
 * cannot be linked.
 */
export async function clientHash(
	db: Queryable,
	cache: SaltCache,
	client: { address: string; userAgent: string },
	now = new Date()
): Promise<string> {
	const salt = await saltOf(db, cache, localDate(now));
	return createHash('sha256')
		.update(`${salt}\n${client.address}\n${client.userAgent}`)
		.digest('base64url');
}
