import { audit, type AuditAction } from '../audit';
import type { Queryable } from '../db';
import type { SessionUser } from './session';

/**
 * Records an act staff did on their own account (a password, a second factor, their sessions):
 * they are both the actor and the target. Call it in the act's transaction.
 */
export async function auditOwnAccount(
	db: Queryable,
	user: SessionUser,
	client: string,
	action: AuditAction,
	detail?: Record<string, unknown>
) {
	await audit(db, {
		actor: { id: user.id, email: user.email },
		action,
		target: user.email,
		detail,
		client
	});
}
