import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { hashSecret } from '../auth';
import { type Queryable, Coalescer, sql } from '../db';

/** A pairing code is good for this long after an administrator makes it. */
export const PAIRING_MINUTES = 15;

/** Wrong pairing codes a client may try per window before it has to wait. */
export const PAIRING_ATTEMPTS = 10;
export const PAIRING_WINDOW_MS = 15 * 60_000;

// Crockford's base32: no I, L, O or U, so a code read aloud or typed on a tablet is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface Device {
	id: string;
	name: string;
	createdAt: Date;
	pairingExpiresAt: Date | null;
	pairedAt: Date | null;
	lastSeenAt: Date | null;
	revokedAt: Date | null;
}

/** 8 characters, 40 random bits: typed once on the tablet, valid for minutes, rate-limited. */
export function newPairingCode(): string {
	return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => alphabet[b & 31]).join('');
}

/** Shows a code in two groups of four, easier to read out: `7KQ2-M9XD`. */
export function formatPairingCode(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What the tablet typed, as stored: case, spaces and dashes ignored, and the letters people
 * confuse with digits read as those digits (O → 0, I and L → 1), as Crockford's decoding does.
 */
export function normalisePairingCode(typed: string): string {
	return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The bearer token a paired tablet sends with each response: `dv_` and 160 random bits. */
export function newDeviceToken(): string {
	return `dv_${encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)))}`;
}

/** A new, unpaired device of a kiosk touchpoint and its pairing code (shown once, kept hashed). */
export async function create(
	db: Queryable,
	{ touchpointId, name, createdBy }: { touchpointId: number; name: string; createdBy: string }
) {
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
	const code = newPairingCode();
	await db.query(sql`
		insert into devices (id, touchpoint_id, name, pairing_code_hash, pairing_expires_at, created_by)
		values (${id}, ${touchpointId}, ${name}, ${hashSecret(code)},
			now() + make_interval(mins => ${PAIRING_MINUTES}), ${createdBy})`);
	return { id, code };
}

export async function listForTouchpoint(db: Queryable, touchpointId: number): Promise<Device[]> {
	return db.query<Device>(sql`
		select id, name, created_at as "createdAt", pairing_expires_at as "pairingExpiresAt",
			paired_at as "pairedAt", last_seen_at as "lastSeenAt", revoked_at as "revokedAt"
		from devices where touchpoint_id = ${touchpointId} order by created_at desc, id`);
}

/** Renames a device of this touchpoint; the old name, or undefined when there is no such device. */
export async function rename(db: Queryable, touchpointId: number, id: string, name: string) {
	const [row] = await db.query<{ previous: string }>(sql`
		update devices d set name = ${name}
		from devices old
		where d.id = ${id} and d.touchpoint_id = ${touchpointId} and old.id = d.id
		returning old.name as previous`);
	return row?.previous;
}

/**
 * Revokes a device of this touchpoint: its token hash and any pending pairing code are erased,
 * so the next request with that token is refused. False when there is no such live device.
 */
export async function revoke(db: Queryable, touchpointId: number, id: string): Promise<boolean> {
	const rows = await db.query(sql`
		update devices set revoked_at = now(), token_hash = null, pairing_code_hash = null,
			pairing_expires_at = null
		where id = ${id} and touchpoint_id = ${touchpointId} and revoked_at is null
		returning id`);
	return rows.length === 1;
}

export interface Pairing {
	device: string;
	name: string;
	token: string;
	touchpoint: string;
	/** The touchpoint's unit, whose names the kiosk shows. */
	unitCode: string;
	survey: string;
}

/**
 * Completes a pairing: a live, unexpired code becomes a device token, once. The single UPDATE
 * consumes the code, so two tablets racing with the same code cannot both get a token.
 */
export async function pair(db: Queryable, typedCode: string): Promise<Pairing | undefined> {
	const code = normalisePairingCode(typedCode);
	if (!/^[0-9A-Z]{8}$/.test(code)) return undefined;
	const token = newDeviceToken();
	const [row] = await db.query<Omit<Pairing, 'token'>>(sql`
		update devices d set token_hash = ${hashSecret(token)}, paired_at = now(),
			pairing_code_hash = null, pairing_expires_at = null
		from touchpoints t
		where d.pairing_code_hash = ${hashSecret(code)} and d.pairing_expires_at > now()
			and d.revoked_at is null and t.id = d.touchpoint_id
		returning d.id as device, d.name, t.code as touchpoint, t.unit_code as "unitCode",
			t.survey_id as survey`);
	return row && { ...row, token };
}

const LAST_SEEN_EVERY_MS = 60_000;

type Seen = { id: string; lastSeenAt: Date | null } | undefined;

/** Live devices by token hash and touchpoint, in the order asked, in one statement. */
async function lookUp(db: Queryable, keys: { hash: string; touchpointId: number }[]) {
	const rows = await db.query<{ ord: number; id: string | null; lastSeenAt: Date | null }>(sql`
		select k.ord::int as ord, d.id, d.last_seen_at as "lastSeenAt"
		from unnest(${keys.map((k) => k.hash)}::text[], ${keys.map((k) => k.touchpointId)}::int[])
			with ordinality as k(token_hash, touchpoint_id, ord)
		left join devices d on d.token_hash = k.token_hash and d.touchpoint_id = k.touchpoint_id
			and d.revoked_at is null
		order by k.ord`);
	return rows.map((r): Seen => (r.id ? { id: r.id, lastSeenAt: r.lastSeenAt } : undefined));
}

// A paired kiosk sends every response with its token: under load the lookups of the moment
// share one statement (db/coalescer.ts), each still made after its request arrived.
const lookups = new WeakMap<Queryable, Coalescer<{ hash: string; touchpointId: number }, Seen>>();

/**
 * The device holding this token, if it is live and paired to this touchpoint. Revocation erases
 * the hash, so this lookup (not a cache) is what makes a revoked token stop at once. The
 * last-seen time is written at most once a minute per device, to keep the kiosk path cheap.
 */
export async function authenticate(
	db: Queryable,
	token: string | null,
	touchpointId: number
): Promise<string | undefined> {
	if (!token || !/^dv_[a-z2-7]{32}$/.test(token)) return undefined;
	let group = lookups.get(db);
	if (!group) {
		group = new Coalescer((keys) => lookUp(db, keys), { inFlight: 2, maxBatch: 200 });
		lookups.set(db, group);
	}
	const device = await group.submit({ hash: hashSecret(token), touchpointId });
	if (!device) return undefined;
	const seen = device.lastSeenAt ? new Date(device.lastSeenAt).getTime() : 0;
	if (Date.now() - seen >= LAST_SEEN_EVERY_MS) {
		await db.query(sql`update devices set last_seen_at = now() where id = ${device.id}`);
	}
	return device.id;
}

/** The token in an `Authorization: Bearer …` header, if any. */
export function bearerToken(authorization: string | null): string | null {
	return authorization?.match(/^Bearer (\S+)$/)?.[1] ?? null;
}
