import { type Queryable, empty, json, sql } from './db';

/** Every act the audit log records. Adding one here is how a new act becomes audited. */
export const auditActions = [
	'sign_in',
	'sign_in_failed',
	'sign_out',
	'password_changed',
	'mfa_enabled',
	'mfa_disabled',
	'session_revoked',
	'user_created',
	'user_changed',
	'user_disabled',
	'user_enabled',
	'token_created',
	'token_revoked',
	'device_created',
	'device_paired',
	'device_renamed',
	'device_revoked',
	'touchpoint_created',
	'touchpoint_changed',
	'receipt_tokens_created',
	'target_set',
	'target_removed',
	'unit_created',
	'unit_changed',
	'units_imported',
	'units_exported',
	'responses_imported',
	'response_entered',
	'export',
	'case_updated',
	'survey_texts_imported',
	'survey_texts_reviewed',
	'survey_texts_unreviewed'
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface Actor {
	id: string;
	email: string;
}

export interface AuditEntry {
	id: string;
	at: Date;
	actorId: string | null;
	actorEmail: string | null;
	action: AuditAction;
	target: string | null;
	detail: Record<string, unknown>;
	client: string | null;
}

/** Appends one entry. Call it in the same transaction as the act when there is one. */
export async function audit(
	db: Queryable,
	entry: {
		actor: Actor | null;
		action: AuditAction;
		target?: string | null;
		detail?: Record<string, unknown>;
		client?: string | null;
	}
) {
	await db.query(sql`
		insert into audit_log (actor_id, actor_email, action, target, detail, client)
		values (${entry.actor?.id ?? null}, ${entry.actor?.email ?? null}, ${entry.action},
			${entry.target ?? null}, ${json(entry.detail ?? {})}, ${entry.client ?? null})`);
}

export interface AuditFilter {
	action?: AuditAction;
	actor?: string;
	from?: string;
	to?: string;
	before?: number;
	limit?: number;
}

/** Newest first; `before` pages back by id. Dates are local days in Asia/Ho_Chi_Minh. */
export async function listAudit(db: Queryable, filter: AuditFilter = {}): Promise<AuditEntry[]> {
	const limit = Math.min(filter.limit ?? 100, 500);
	const rows = await db.query<AuditEntry & { id: string | number }>(sql`
		select id::text as id, at, actor_id as "actorId", actor_email as "actorEmail", action, target,
			detail, client
		from audit_log
		where true
		${filter.action ? sql`and action = ${filter.action}` : empty}
		${filter.actor ? sql`and actor_email = ${filter.actor.trim().toLowerCase()}` : empty}
		${filter.from ? sql`and at >= (${filter.from}::date::timestamp at time zone 'Asia/Ho_Chi_Minh')` : empty}
		${filter.to ? sql`and at < ((${filter.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')` : empty}
		${filter.before ? sql`and id < ${filter.before}` : empty}
		order by id desc limit ${limit}`);
	return rows.map((r) => ({
		...r,
		at: new Date(r.at),
		detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail
	}));
}
