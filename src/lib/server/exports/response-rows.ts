import { channels, scale } from '$lib/i18n/vi.json';
import type { Question } from '$lib/survey/definition';
import { type Queryable, sql, withCustomPlan } from '../db';
import type { SurveyRegistry } from '../surveys';
import * as units from '../units';

/** What an export covers: one survey, a unit's subtree, a span of Viet Nam dates. */
export interface ExportQuery {
	surveyId: string;
	unitCode: string;
	range: { from: string; to: string };
}

interface RawRow {
	id: string;
	localDate: string;
	/** Already in Viet Nam time, formatted by the database: Intl cost a second per million. */
	localTime: string;
	versionId: number;
	channel: string;
	locale: string;
	flag: string | null;
	answers: Record<string, unknown> | string;
}

interface ScopeUnit {
	code: string;
	name: string;
}

const BATCH = 2000;

const labels = {
	columns: [
		'Mã phiếu',
		'Ngày',
		'Thời điểm (giờ Việt Nam)',
		'Mã đơn vị',
		'Tên đơn vị',
		'Kênh',
		'Ngôn ngữ',
		'Phiên bản phiếu',
		'Ghi chú'
	],
	channel: channels as Record<string, string>,
	flag: {
		duplicate: 'Nghi trùng lặp (không tính)',
		partial: 'Chưa hoàn thành (không tính)'
	} as Record<string, string>,
	na: 'Không ý kiến',
	// The scale levels as respondents see them.
	likert5: scale.likert5 as Record<string, string>,
	rating3: scale.rating3 as Record<string, string>
};

/** The questions of every version of the survey, newest version's wording and order first. */
function exportQuestions(surveys: SurveyRegistry, surveyId: string): Question[] {
	const seen = new Map<string, Question>();
	const newestFirst = surveys.versions(surveyId).reverse();
	for (const { definition } of newestFirst) {
		for (const q of definition.sections.flatMap((s) => s.questions)) {
			if (!seen.has(q.id)) seen.set(q.id, q);
		}
	}
	return [...seen.values()];
}

/** An answer as people read it: the level with its label, option labels, the text itself. */
export function answerLabel(q: Question, value: unknown): string {
	if (value === undefined || value === null || value === '') return '';
	if (value === 'NA') return labels.na;
	switch (q.type) {
		case 'likert5':
		case 'rating3': {
			const label = labels[q.type][String(value)];
			return label ? `${value} – ${label}` : String(value);
		}
		case 'choice': {
			const values = Array.isArray(value) ? value : [value];
			return values
				.map((v) => q.options.find((o) => o.value === String(v))?.label.vi ?? String(v))
				.join('; ');
		}
		default:
			return String(value);
	}
}

export interface ResponseTable {
	header: string[];
	/** Batches of rows, read page by page so memory stays flat however many there are. */
	rows: AsyncGenerator<string[][]>;
}

/**
 * Every response of the survey in the unit's subtree and the date span, flagged ones included
 * and marked, one row each with Vietnamese headers and answer labels. Pages through the table by
 * (unit, local_date, id) rather than holding a cursor, which both database drivers support alike.
 */
export function responseTable(
	db: Queryable,
	surveys: SurveyRegistry,
	query: ExportQuery,
	{ batch = BATCH }: { batch?: number } = {}
): ResponseTable {
	const questions = exportQuestions(surveys, query.surveyId);
	const header = [
		...labels.columns,
		...questions.map((q, i) => `C${i + 1}. ${q.text.vi} [${q.id}]`)
	];
	const subtree = units.subtree(query.unitCode);
	// A survey has few distinct answers per question (levels, options), so each label is made once.
	const labelled = questions.map((q) => {
		const memo = new Map<string, string>();
		return (value: unknown) => {
			if (q.type === 'text' || typeof value === 'object') return answerLabel(q, value);
			const key = String(value);
			let label = memo.get(key);
			if (label === undefined) memo.set(key, (label = answerLabel(q, value)));
			return label;
		};
	});
	const versionNumber = (id: number) => String(surveys.byVersionId(id)?.definition.version ?? '');
	const format = (r: RawRow, unit: ScopeUnit) => {
		const answers = typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers;
		return [
			r.id,
			r.localDate,
			r.localTime,
			unit.code,
			unit.name,
			labels.channel[r.channel] ?? r.channel,
			r.locale,
			versionNumber(r.versionId),
			r.flag ? (labels.flag[r.flag] ?? r.flag) : '',
			...labelled.map((label, i) => label(answers[questions[i]!.id]))
		];
	};
	// Unit by unit, each in date order: every page is a range of the export index from the last
	// (date, id) sent, so a page costs the same at the start of ten years as at the end.
	async function* pages(): AsyncGenerator<{ unit: ScopeUnit; page: RawRow[] }> {
		const scope = await db.query<ScopeUnit>(sql`
			${subtree}
			select u.code, u.name_vi as name from sub join units u on u.code = sub.code
			order by u.code`);
		for (const unit of scope) {
			let after: { date: string; id: string } | null = null;
			for (;;) {
				// The plain date bound repeats the row comparison for the planner: only a bound on
				// local_date itself prunes the monthly partitions before the page's date.
				const start = after
					? sql`(r.local_date, r.id) > (${after.date}::date, ${after.id}::uuid)
						and r.local_date >= ${after.date}::date`
					: sql`r.local_date >= ${query.range.from}::date`;
				const page: RawRow[] = await db.query<RawRow>(
					withCustomPlan(sql`
					select r.id, to_char(r.local_date, 'YYYY-MM-DD') as "localDate",
						to_char(r.effective_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI:SS')
							as "localTime",
						r.survey_version_id as "versionId",
						r.channel, r.locale, r.flag, r.answers
					from responses r
					where r.survey_id = ${query.surveyId} and r.unit_code = ${unit.code}
						and r.local_date <= ${query.range.to}::date
						and ${start}
					order by r.local_date, r.id
					limit ${batch}`)
				);
				if (page.length) yield { unit, page };
				if (page.length < batch) break;
				const last = page.at(-1)!;
				after = { date: last.localDate, id: last.id };
			}
		}
	}
	// The next page is read while this one is formatted and written out: the database and the
	// formatting each take about half of an export's time, and they overlap instead of adding up.
	async function* rows(): AsyncGenerator<string[][]> {
		for await (const { unit, page } of readAhead(pages())) yield page.map((r) => format(r, unit));
	}
	return { header, rows: rows() };
}

/** The source's next item is already asked for while the reader handles the current one. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
	let next = source.next();
	try {
		for (;;) {
			const item = await next;
			if (item.done) return;
			next = source.next();
			yield item.value;
		}
	} finally {
		// A reader that stops early (a cancelled download) leaves one read in flight: let it settle.
		await next.catch(() => undefined);
		await source.return(undefined);
	}
}
