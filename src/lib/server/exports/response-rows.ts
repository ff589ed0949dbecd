import { channels, scale } from '$lib/i18n/vi.json';
import type { Question } from '$lib/survey/definition';
import type { Queryable } from '../db';
import { sql } from '../db';
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
	effectiveAt: Date | string;
	unitCode: string;
	unitName: string;
	channel: string;
	locale: string;
	version: number;
	flag: string | null;
	answers: Record<string, unknown> | string;
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

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Asia/Ho_Chi_Minh',
	dateStyle: 'short',
	timeStyle: 'medium'
});

export interface ResponseTable {
	header: string[];
	/** Batches of rows, read page by page so memory stays flat however many there are. */
	rows: AsyncGenerator<string[][]>;
}

/**
 * Every response of the survey in the unit's subtree and the date span, flagged ones included
 * and marked, one row each with Vietnamese headers and answer labels. Pages through the table by
 * (local_date, id) rather than holding a cursor, which both database drivers support alike.
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
	const format = (r: RawRow) => {
		const answers = typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers;
		return [
			r.id,
			r.localDate,
			timeFormat.format(new Date(r.effectiveAt)),
			r.unitCode,
			r.unitName,
			labels.channel[r.channel] ?? r.channel,
			r.locale,
			String(r.version),
			r.flag ? (labels.flag[r.flag] ?? r.flag) : '',
			...questions.map((q) => answerLabel(q, answers[q.id]))
		];
	};
	// Day by day, then by id within the day: each page is an index range on (survey, date) and a
	// sort of at most one day's rows, never a sort of everything after the last row sent.
	async function* rows(): AsyncGenerator<string[][]> {
		const days = await db.query<{ day: string }>(sql`
			${subtree}
			select to_char(r.local_date, 'YYYY-MM-DD') as day
			from responses r join sub on sub.code = r.unit_code
			where r.survey_id = ${query.surveyId}
				and r.local_date between ${query.range.from}::date and ${query.range.to}::date
			group by r.local_date order by r.local_date`);
		for (const { day } of days) {
			let after: string | null = null;
			for (;;) {
				const page: RawRow[] = await db.query<RawRow>(sql`
					${subtree}
					select r.id, to_char(r.local_date, 'YYYY-MM-DD') as "localDate",
						r.effective_at as "effectiveAt", r.unit_code as "unitCode", u.name_vi as "unitName",
						r.channel, r.locale, v.version, r.flag, r.answers
					from responses r
					join sub on sub.code = r.unit_code
					join units u on u.code = r.unit_code
					join survey_versions v on v.id = r.survey_version_id
					where r.survey_id = ${query.surveyId} and r.local_date = ${day}::date
						and (${after === null}::boolean or r.id > ${after ?? '00000000-0000-0000-0000-000000000000'}::uuid)
					order by r.id
					limit ${batch}`);
				if (page.length) yield page.map(format);
				if (page.length < batch) break;
				after = page.at(-1)!.id;
			}
		}
	}
	return { header, rows: rows() };
}
