import { z } from 'zod';
import { type DateRange, startOfLocalDate } from '$lib/survey/periods';
import { audit, type Actor } from '../audit';
import { type Database, type Queryable, empty, sql } from '../db';
import * as units from '../units';
import { disguisingInText } from '$lib/survey/text';

export const caseStatuses = ['new', 'in_progress', 'resolved'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** What the inbox can show: one status, the open ones, or the open ones past their due date. */
export type InboxView = CaseStatus | 'open' | 'overdue' | 'all';
export const inboxViews: InboxView[] = ['open', 'overdue', 'new', 'in_progress', 'resolved', 'all'];

/** The only steps a case may take: taken up, then answered. A resolved case stays resolved. */
const steps: Record<CaseStatus, CaseStatus[]> = {
	new: ['in_progress'],
	in_progress: ['in_progress', 'resolved'],
	resolved: []
};

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
	return steps[from].includes(to);
}

const note = z
	.string()
	.default('')
	.transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
	.pipe(
		z
			.string()
			.max(2000, 'too_long')
			.refine((s) => !disguisingInText.test(s), 'chars')
	);

/** The case form as posted: exactly these fields, nothing else. */
export const caseStep = z.strictObject({
	seen: z.enum(caseStatuses),
	to: z.enum(caseStatuses),
	actionTaken: note,
	reply: note
});

export interface CaseSummary {
	id: number;
	responseId: string;
	surveyId: string;
	unitCode: string;
	unitNameVi: string;
	unitNameEn: string;
	openedAt: Date;
	dueAt: Date;
	overdue: boolean;
	status: CaseStatus;
	comment: string | null;
	hasContact: boolean;
}

export interface CaseEvent {
	at: Date;
	userEmail: string | null;
	status: CaseStatus;
	actionTaken: string | null;
	reply: string | null;
}

export interface CaseDetail extends CaseSummary {
	actionTaken: string | null;
	reply: string | null;
	resolvedAt: Date | null;
	localDate: string;
	channel: string;
	surveyVersionId: number;
	answers: Record<string, unknown>;
	contact: { name: string | null; phone: string | null } | null;
	events: CaseEvent[];
}

const summaryColumns = (dueDays: number) => sql`
	c.id, c.response_id::text as "responseId", c.survey_id as "surveyId", c.unit_code as "unitCode",
	u.name_vi as "unitNameVi", u.name_en as "unitNameEn", c.opened_at as "openedAt",
	c.opened_at + make_interval(days => ${dueDays}) as "dueAt",
	(c.status <> 'resolved' and c.opened_at + make_interval(days => ${dueDays}) < now()) as overdue,
	c.status, r.comment,
	exists (select 1 from response_contacts rc where rc.response_id = c.response_id) as "hasContact"`;

const viewFilter = (view: InboxView, dueDays: number) => {
	switch (view) {
		case 'all':
			return empty;
		case 'open':
			return sql`and c.status <> 'resolved'`;
		case 'overdue':
			return sql`and c.status <> 'resolved' and c.opened_at + make_interval(days => ${dueDays}) < now()`;
		default:
			return sql`and c.status = ${view}`;
	}
};

export const INBOX_PAGE = 50;

/** A unit subtree's cases, oldest open first: the order they should be dealt with. */
export async function inbox(
	db: Queryable,
	filter: { unitCode: string; view: InboxView; dueDays: number; page: number }
): Promise<{ rows: CaseSummary[]; total: number }> {
	const where = sql`true ${viewFilter(filter.view, filter.dueDays)}`;
	const [count] = await db.query<{ total: number }>(sql`
		${units.subtree(filter.unitCode)}
		select count(*)::int as total from follow_up_cases c join sub on sub.code = c.unit_code
		where ${where}`);
	const rows = await db.query<CaseSummary>(sql`
		${units.subtree(filter.unitCode)}
		select ${summaryColumns(filter.dueDays)}
		from follow_up_cases c
			join sub on sub.code = c.unit_code
			join units u on u.code = c.unit_code
			left join responses r on r.id = c.response_id
		where ${where}
		order by (c.status = 'resolved'), c.opened_at, c.id
		limit ${INBOX_PAGE} offset ${(filter.page - 1) * INBOX_PAGE}`);
	return { rows, total: count?.total ?? 0 };
}

/** One case with its response, the contact details given with consent, and its history. */
export async function get(db: Queryable, id: number, dueDays: number): Promise<CaseDetail | null> {
	const [row] = await db.query<
		Omit<CaseDetail, 'contact' | 'events'> & {
			contactName: string | null;
			contactPhone: string | null;
			contactGiven: boolean;
		}
	>(sql`
		select ${summaryColumns(dueDays)}, c.action_taken as "actionTaken", c.reply,
			c.resolved_at as "resolvedAt", to_char(r.local_date, 'YYYY-MM-DD') as "localDate",
			r.channel, r.survey_version_id as "surveyVersionId", r.answers,
			rc.name as "contactName", rc.phone as "contactPhone", rc.response_id is not null as "contactGiven"
		from follow_up_cases c
			join units u on u.code = c.unit_code
			join responses r on r.id = c.response_id
			left join response_contacts rc on rc.response_id = c.response_id
		where c.id = ${id}`);
	if (!row) return null;
	const events = await db.query<CaseEvent>(sql`
		select e.at, us.email as "userEmail", e.status, e.action_taken as "actionTaken", e.reply
		from follow_up_events e left join users us on us.id = e.user_id
		where e.case_id = ${id}
		order by e.at, e.id`);
	const { contactName, contactPhone, contactGiven, ...rest } = row;
	return {
		...rest,
		answers: typeof rest.answers === 'string' ? JSON.parse(rest.answers) : rest.answers,
		contact: contactGiven ? { name: contactName, phone: contactPhone } : null,
		events
	};
}

export type MoveResult =
	{ ok: true } | { ok: false; reason: 'not_found' | 'changed' | 'step' | 'answer_required' };

/**
 * Records what a manager did and answered, and moves the case on. The form carries the status
 * it was shown: if someone else moved the case meanwhile, nothing is written and they are told.
 */
export async function move(
	db: Database,
	input: {
		id: number;
		seen: CaseStatus;
		to: CaseStatus;
		actionTaken: string;
		reply: string;
		actor: Actor;
		client: string | null;
	}
): Promise<MoveResult> {
	if (!canMove(input.seen, input.to)) return { ok: false, reason: 'step' };
	if (input.to === 'resolved' && (!input.actionTaken || !input.reply)) {
		return { ok: false, reason: 'answer_required' };
	}
	return db.transaction(async (tx) => {
		const updated = await tx.query<{ id: number }>(sql`
			update follow_up_cases
			set status = ${input.to}, action_taken = ${input.actionTaken || null},
				reply = ${input.reply || null}, updated_at = now(),
				resolved_at = case when ${input.to} = 'resolved' then now() end
			where id = ${input.id} and status = ${input.seen}
			returning id`);
		if (!updated.length) {
			const [exists] = await tx.query(sql`select 1 from follow_up_cases where id = ${input.id}`);
			return { ok: false, reason: exists ? 'changed' : 'not_found' } as const;
		}
		await tx.query(sql`
			insert into follow_up_events (case_id, user_id, status, action_taken, reply)
			values (${input.id}, ${input.actor.id}, ${input.to}, ${input.actionTaken || null},
				${input.reply || null})`);
		await audit(tx, {
			actor: input.actor,
			action: 'case_updated',
			target: String(input.id),
			detail: { from: input.seen, to: input.to },
			client: input.client
		});
		return { ok: true } as const;
	});
}

export interface ResolutionRow {
	/** The child unit (its whole subtree pooled), or the unit itself for its own cases. */
	unitCode: string;
	opened: number;
	resolved: number;
	open: number;
	overdue: number;
	/** Resolved within the due days, of those resolved. */
	resolvedInTime: number;
	/** Days from opening to resolution: median and mean over the resolved; null when none. */
	medianDays: number | null;
	meanDays: number | null;
}

/**
 * Time to resolve, per direct child of a unit (each child's subtree pooled) and for the unit's
 * own cases, over the cases opened in the period (Viet Nam dates).
 */
export async function resolution(
	db: Queryable,
	unitCode: string,
	range: DateRange,
	dueDays: number
): Promise<ResolutionRow[]> {
	const from = startOfLocalDate(range.from);
	const until = new Date(startOfLocalDate(range.to).getTime() + 86_400_000);
	const days = sql`extract(epoch from (c.resolved_at - c.opened_at)) / 86400.0`;
	return db.query<ResolutionRow>(sql`
		${units.subtree(unitCode)}
		select coalesce(sub.branch, sub.code) as "unitCode", count(*)::int as opened,
			count(*) filter (where c.status = 'resolved')::int as resolved,
			count(*) filter (where c.status <> 'resolved')::int as open,
			count(*) filter (where c.status <> 'resolved'
				and c.opened_at + make_interval(days => ${dueDays}) < now())::int as overdue,
			count(*) filter (where c.status = 'resolved'
				and c.resolved_at <= c.opened_at + make_interval(days => ${dueDays}))::int as "resolvedInTime",
			(percentile_cont(0.5) within group (order by ${days}) filter (where c.status = 'resolved'))::float8
				as "medianDays",
			(avg(${days}) filter (where c.status = 'resolved'))::float8 as "meanDays"
		from follow_up_cases c join sub on sub.code = c.unit_code
		where c.opened_at >= ${from.toISOString()}::timestamptz and c.opened_at < ${until.toISOString()}::timestamptz
		group by 1
		order by 1`);
}
