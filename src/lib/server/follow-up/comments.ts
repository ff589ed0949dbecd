import { foldVietnamese } from '$lib/survey/comments';
import type { DateRange } from '$lib/survey/periods';
import { type Queryable, empty, sql, type Statement } from '../db';
import * as units from '../units';

export interface CommentFilter {
	unitCode: string;
	range: DateRange;
	surveyId?: string;
	/** Only responses with a "Không hài lòng" or worse. */
	lowOnly: boolean;
	/** Words that must all occur, compared without accents or case. */
	search: string;
	page: number;
}

export interface CommentRow {
	responseId: string;
	localDate: string;
	unitCode: string;
	unitNameVi: string;
	unitNameEn: string;
	surveyId: string;
	channel: string;
	comment: string;
	lowRating: boolean;
	caseId: number | null;
	caseStatus: string | null;
}

export const PAGE_SIZE = 50;

/** A page number from a query string; anything odd means the first page. */
export function pageNumber(value: string | null): number {
	const page = Number(value);
	return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}

/** The search box's words, folded; at most ten, so a pasted essay cannot make a huge query. */
export function searchWords(search: string): string[] {
	return foldVietnamese(search.normalize('NFC'))
		.split(/[\s,.;:!?"'()]+/u)
		.filter(Boolean)
		.slice(0, 10);
}

/**
 * Citizens' comments in a unit's subtree and period, newest first, a page at a time. Responses
 * flagged as duplicates or left unfinished are left out, as they are from the results.
 */
export async function list(
	db: Queryable,
	filter: CommentFilter
): Promise<{ rows: CommentRow[]; total: number }> {
	const words = searchWords(filter.search);
	const matches = words.reduce<Statement>(
		(acc, w) => sql`${acc} and position(${w} in vn_fold(r.comment)) > 0`,
		empty
	);
	const where = sql`r.comment is not null and r.flag is null
		and r.local_date between ${filter.range.from}::date and ${filter.range.to}::date
		${filter.surveyId ? sql`and r.survey_id = ${filter.surveyId}` : empty}
		${filter.lowOnly ? sql`and r.low_rating` : empty}
		${matches}`;
	const [count] = await db.query<{ total: number }>(sql`
		${units.subtree(filter.unitCode)}
		select count(*)::int as total from responses r join sub on sub.code = r.unit_code where ${where}`);
	const rows = await db.query<CommentRow>(sql`
		${units.subtree(filter.unitCode)}
		select r.id::text as "responseId", to_char(r.local_date, 'YYYY-MM-DD') as "localDate",
			r.unit_code as "unitCode", u.name_vi as "unitNameVi", u.name_en as "unitNameEn",
			r.survey_id as "surveyId", r.channel, r.comment, r.low_rating as "lowRating",
			c.id as "caseId", c.status as "caseStatus"
		from responses r
			join sub on sub.code = r.unit_code
			join units u on u.code = r.unit_code
			left join follow_up_cases c on c.response_id = r.id
		where ${where}
		order by r.local_date desc, r.received_at desc, r.id
		limit ${PAGE_SIZE} offset ${(filter.page - 1) * PAGE_SIZE}`);
	return { rows, total: count?.total ?? 0 };
}
